/* pk_area_coef.h - written by pikesweep-areafit from benches/area/data.csv
 * (benches/area_gather.sh); do not edit, refit (docs/SWEEP.md, "Area model"). */
#ifndef PK_AREA_COEF_H
#define PK_AREA_COEF_H
static const double PK_AREA_COEF[5] = { 33007.62769045437, 6.9096799606885799, 0, 12260.69821767107, 0 };
#endif
