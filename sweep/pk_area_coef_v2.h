/* pk_area_coef_v2.h - written by pikesweep-areafit --arch v2 from benches/area/data_v2.csv
 * (benches/area_gather.sh); do not edit, refit (docs/SWEEP.md, "Area model"). */
#ifndef PK_AREA_COEF_V2_H
#define PK_AREA_COEF_V2_H
static const double PK_AREA_COEF_V2[5] = { 49237.949076748002, 3.8515740784094086, 19.032131070448088, 7121.3065369354572, 4017.1824147546463 };
#endif
