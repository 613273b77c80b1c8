/* Stub: API_AVAILABLE(macos(X)) -> __attribute__((availability(macos,introduced=X))) */
#ifndef STUB_AVAILABILITY_H
#define STUB_AVAILABILITY_H
#define STUB_AV_macos(v) macos, introduced = v
#define API_AVAILABLE(p) __attribute__((availability(STUB_AV_##p)))
#endif
