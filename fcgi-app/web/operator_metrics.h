/*
 * operator_metrics.h: the operator console's operating figures
 * (/operator/metrics), for operators without Prometheus: the last 24
 * hours of platform/metrics_log.h's history as SVG charts, one point
 * per METRICS_LOG_STEP (requests and server errors, average response
 * time, workers and busy ones, workers that died, the job queue, mail,
 * database round trips and errors, the caches' hit rate), and each
 * plan's shops and use today. Operators only.
 */
#ifndef SOUK_WEB_OPERATOR_METRICS_H
#define SOUK_WEB_OPERATOR_METRICS_H

#include "http/router.h"

extern const struct route	operator_metrics_routes[];
extern const size_t		operator_metrics_nroutes;

#endif
