/* pk_area_coef_v2.h - written by pikesweep-areafit --arch v2 from benches/area/data_v2.csv
 * (benches/area_gather.sh); do not edit, refit (docs/SWEEP.md, "Area model"). */
#ifndef PK_AREA_COEF_V2_H
#define PK_AREA_COEF_V2_H
static const double PK_AREA_COEF_V2[5] = { 46827.700551258713, 7.0496759441536314, 21.846099840402623, 7810.3096789126921, 6483.2661400466495 };
#endif
