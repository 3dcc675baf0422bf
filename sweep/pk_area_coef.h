/* pk_area_coef.h - placeholder until the first fit (pikesweep-areafit). */
#ifndef PK_AREA_COEF_H
#define PK_AREA_COEF_H
static const double PK_AREA_COEF[7] = { 0, 0, 0, 0, 0, 0, 0 };
#endif
