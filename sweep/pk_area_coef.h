/* pk_area_coef.h - written by pikesweep-areafit from benches/area/data.csv
 * (benches/area_gather.sh); do not edit, refit (docs/SWEEP.md, "Area model"). */
#ifndef PK_AREA_COEF_H
#define PK_AREA_COEF_H
static const double PK_AREA_COEF[5] = { 40498.998927450593, 4.815059723463273, 12.404907126078704, 3917.3726803338568, 0 };
#endif
