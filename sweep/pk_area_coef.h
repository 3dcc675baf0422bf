/* pk_area_coef.h - written by pikesweep-areafit from benches/area/data.csv
 * (benches/area_gather.sh); do not edit, refit (docs/SWEEP.md, "Area model"). */
#ifndef PK_AREA_COEF_H
#define PK_AREA_COEF_H
static const double PK_AREA_COEF[5] = { 40315.826466036575, 4.8207169525869418, 12.4487974333144, 3960.9780735712952, 0 };
#endif
