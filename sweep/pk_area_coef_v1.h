/* pk_area_coef_v1.h - written by pikesweep-areafit --arch v1 from benches/area/data.csv
 * (benches/area_gather.sh); do not edit, refit (docs/SWEEP.md, "Area model"). */
#ifndef PK_AREA_COEF_V1_H
#define PK_AREA_COEF_V1_H
static const double PK_AREA_COEF_V1[5] = { 39210.22590554323, 5.8621881950407158, 9.5604956712340083, 4854.5504930423067, 0 };
#endif
