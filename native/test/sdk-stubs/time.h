#pragma once
#include <stdint.h>
#include "availability.h"
typedef enum { CLOCK_REALTIME = 0, CLOCK_MONOTONIC_RAW = 4, CLOCK_UPTIME_RAW = 8 } clockid_t;
uint64_t clock_gettime_nsec_np(clockid_t) API_AVAILABLE(macos(10.12));
