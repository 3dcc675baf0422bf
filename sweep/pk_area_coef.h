/* pk_area_coef.h - written by pikesweep-areafit from benches/area/data.csv
 * (benches/area_gather.sh); do not edit, refit (docs/SWEEP.md, "Area model"). */
#ifndef PK_AREA_COEF_H
#define PK_AREA_COEF_H
static const double PK_AREA_COEF[5] = { 32710.666252289946, 6.9246362328555637, 0, 12385.248901286126, 0 };
#endif
