/*
 * aneprobe.m -- the Core ML implementation of native/include/aneprobe.h (macOS, Objective-C, ARC).
 *
 * Build (the harness's macOS Maven profile does this):
 *   clang -fobjc-arc -Wall -Wextra -Werror -O2 -arch arm64 -mmacosx-version-min=11.0 -dynamiclib \
 *         -I native/include -framework CoreML -framework Foundation -o libaneprobe.dylib native/src/aneprobe.m
 *
 * Thin and synchronous on purpose: all policy lives in Java. Newer APIs are used only under @available checks
 * (deployment target 11.0), so the library loads on older systems and reports ANEPROBE_UNSUPPORTED there:
 *   macOS 13.0  compileModelAtURL:completionHandler:, MLComputeUnitsCPUAndNeuralEngine, loading and predicting
 *               (the harness's minimum; inputs are filled with getMutableBytesWithHandler:, macOS 12.3)
 *   macOS 14.0  MLAllComputeDevices() and the compute-device classes (before: devices inferred, see host_info)
 *   macOS 14.4  MLComputePlan and MLModelStructure
 *   macOS 15.0  model states: stateDescriptionsByName, newState and predictionFromFeatures:usingState:error: (a
 *               stateful ML Program needs specification 9, which no older system loads)
 * No deprecated API is used, so no diagnostic needs silencing: the synchronous +compileModelAtURL:error: is
 * replaced by the asynchronous variant waited for with a dispatch semaphore.
 *
 * Every failure fills the caller's aneprobe_error: NSError domain, code and localizedDescription (plus the
 * underlying error's, when Core ML nests one); Objective-C exceptions become ANEPROBE_INTERNAL_ERROR with the
 * exception's name and reason.
 */
#import <CoreML/CoreML.h>
#import <Foundation/Foundation.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysctl.h>
#include <time.h>

#include "aneprobe.h"

#if !__has_feature(objc_arc)
#error "aneprobe.m must be compiled with -fobjc-arc"
#endif

static NSString *const kShimDomain = @"aneprobe";

/* ---------- errors ---------- */

static void copy_string(char *dst, size_t cap, NSString *s) {
    const char *utf8 = s != nil ? [s UTF8String] : NULL;
    strlcpy(dst, utf8 != NULL ? utf8 : "", cap);
}

static aneprobe_status fail(aneprobe_error *err, aneprobe_status status, NSString *domain, NSInteger code,
                            NSString *description) {
    if (err != NULL) {
        copy_string(err->domain, sizeof err->domain, domain);
        err->code = (int64_t)code;
        copy_string(err->description, sizeof err->description, description);
    }
    return status;
}

static aneprobe_status fail_nserror(aneprobe_error *err, aneprobe_status status, NSError *e) {
    if (e == nil) {
        return fail(err, status, kShimDomain, 0, @"Core ML reported a failure without an NSError");
    }
    NSString *description = e.localizedDescription != nil ? e.localizedDescription : @"(no description)";
    id underlying = e.userInfo[NSUnderlyingErrorKey];
    if ([underlying isKindOfClass:[NSError class]]) {
        NSError *u = (NSError *)underlying;
        description = [NSString stringWithFormat:@"%@ (underlying %@ %ld: %@)", description, u.domain, (long)u.code,
                                                 u.localizedDescription];
    }
    return fail(err, status, e.domain != nil ? e.domain : kShimDomain, e.code, description);
}

static aneprobe_status fail_exception(aneprobe_error *err, NSException *ex) {
    return fail(err, ANEPROBE_INTERNAL_ERROR, @"NSException", 0,
                [NSString stringWithFormat:@"%@: %@", ex.name, ex.reason != nil ? ex.reason : @"(no reason)"]);
}

static aneprobe_status invalid(aneprobe_error *err, NSInteger code, NSString *what) {
    return fail(err, ANEPROBE_INVALID_ARGUMENT, kShimDomain, code, what);
}

/* ---------- time ---------- */

static uint64_t now_ns(void) {
    return clock_gettime_nsec_np(CLOCK_UPTIME_RAW);
}

static double ms_since(uint64_t t0) {
    return (double)(now_ns() - t0) / 1e6;
}

/* ---------- host ---------- */

static void sysctl_string(const char *name, char *dst, size_t cap) {
    size_t len = 0;
    if (sysctlbyname(name, NULL, &len, NULL, 0) != 0 || len == 0) {
        strlcpy(dst, "unknown", cap);
        return;
    }
    char *buf = malloc(len + 1);
    if (buf == NULL) {
        strlcpy(dst, "unknown", cap);
        return;
    }
    if (sysctlbyname(name, buf, &len, NULL, 0) != 0) {
        strlcpy(dst, "unknown", cap);
    } else {
        buf[len] = '\0';
        strlcpy(dst, buf, cap);
    }
    free(buf);
}

static int sysctl_int(const char *name, int fallback) {
    int value = 0;
    size_t len = sizeof value;
    return sysctlbyname(name, &value, &len, NULL, 0) == 0 ? value : fallback;
}

API_AVAILABLE(macos(14.0))
static int32_t device_kind(id<MLComputeDeviceProtocol> device) {
    if (device == nil) {
        return ANEPROBE_DEVICE_NONE;
    }
    if ([device isKindOfClass:[MLNeuralEngineComputeDevice class]]) {
        return ANEPROBE_DEVICE_ANE;
    }
    if ([device isKindOfClass:[MLGPUComputeDevice class]]) {
        return ANEPROBE_DEVICE_GPU;
    }
    if ([device isKindOfClass:[MLCPUComputeDevice class]]) {
        return ANEPROBE_DEVICE_CPU;
    }
    return ANEPROBE_DEVICE_OTHER;
}

int32_t aneprobe_abi_version(void) {
    return ANEPROBE_ABI_VERSION;
}

aneprobe_status aneprobe_host_info(aneprobe_host *out, aneprobe_error *err) {
    if (out == NULL) {
        return invalid(err, 0, @"out is NULL");
    }
    @autoreleasepool {
        @try {
            memset(out, 0, sizeof *out);
            sysctl_string("machdep.cpu.brand_string", out->chip, sizeof out->chip);
            sysctl_string("hw.model", out->machine_model, sizeof out->machine_model);
            sysctl_string("kern.osversion", out->os_build, sizeof out->os_build);
            NSOperatingSystemVersion v = [[NSProcessInfo processInfo] operatingSystemVersion];
            out->os_major = (int32_t)v.majorVersion;
            out->os_minor = (int32_t)v.minorVersion;
            out->os_patch = (int32_t)v.patchVersion;
            if (v.patchVersion != 0) {
                snprintf(out->os_version, sizeof out->os_version, "%ld.%ld.%ld", (long)v.majorVersion,
                         (long)v.minorVersion, (long)v.patchVersion);
            } else {
                snprintf(out->os_version, sizeof out->os_version, "%ld.%ld", (long)v.majorVersion,
                         (long)v.minorVersion);
            }
            if (@available(macOS 14.0, *)) {
                NSArray<id<MLComputeDeviceProtocol>> *devices = MLAllComputeDevices();
                for (id<MLComputeDeviceProtocol> d in devices) {
                    if (out->device_count >= ANEPROBE_MAX_DEVICES) {
                        break;
                    }
                    int32_t kind = device_kind(d);
                    out->devices[out->device_count++] = kind;
                    if (kind == ANEPROBE_DEVICE_ANE) {
                        out->has_neural_engine = 1;
                        out->neural_engine_cores = (int32_t)((MLNeuralEngineComputeDevice *)d).totalCoreCount;
                    }
                }
            } else {
                /* macOS 13 cannot list compute devices. Every Apple silicon Mac has a Neural Engine, a virtual
                   machine does not expose one; an Intel Mac has none. */
                out->devices_inferred = 1;
                out->devices[out->device_count++] = ANEPROBE_DEVICE_CPU;
                out->devices[out->device_count++] = ANEPROBE_DEVICE_GPU;
                if (sysctl_int("hw.optional.arm64", 0) == 1 && sysctl_int("kern.hv_vmm_present", 0) == 0) {
                    out->devices[out->device_count++] = ANEPROBE_DEVICE_ANE;
                    out->has_neural_engine = 1;
                }
            }
            return ANEPROBE_OK;
        } @catch (NSException *ex) {
            return fail_exception(err, ex);
        }
    }
    return ANEPROBE_OK; /* not reached: both branches above return */
}

/* ---------- compile ---------- */

aneprobe_status aneprobe_compile(const char *model_path, const char *dest_path, double *compile_ms,
                                 aneprobe_error *err) {
    if (model_path == NULL || dest_path == NULL || compile_ms == NULL) {
        return invalid(err, 0, @"model_path, dest_path and compile_ms are required");
    }
    if (@available(macOS 13.0, *)) {
        @autoreleasepool {
            @try {
                NSURL *source = [NSURL fileURLWithPath:@(model_path)];
                NSURL *dest = [NSURL fileURLWithPath:@(dest_path)];
                NSFileManager *fm = [NSFileManager defaultManager];
                if ([fm fileExistsAtPath:dest.path]) {
                    return fail(err, ANEPROBE_IO_ERROR, NSCocoaErrorDomain, NSFileWriteFileExistsError,
                                @"the destination already exists");
                }
                __block NSURL *compiled = nil;
                __block NSError *compileError = nil;
                dispatch_semaphore_t done = dispatch_semaphore_create(0);
                uint64_t t0 = now_ns();
                [MLModel compileModelAtURL:source
                         completionHandler:^(NSURL *url, NSError *error) {
                             compiled = url;
                             compileError = error;
                             dispatch_semaphore_signal(done);
                         }];
                dispatch_semaphore_wait(done, DISPATCH_TIME_FOREVER);
                double ms = ms_since(t0);
                if (compiled == nil) {
                    return fail_nserror(err, ANEPROBE_COREML_ERROR, compileError);
                }
                /* Core ML compiles into a temporary directory; the caller chose where the bundle lives. */
                NSError *moveError = nil;
                if (![fm moveItemAtURL:compiled toURL:dest error:&moveError]) {
                    return fail_nserror(err, ANEPROBE_IO_ERROR, moveError);
                }
                *compile_ms = ms;
                return ANEPROBE_OK;
            } @catch (NSException *ex) {
                return fail_exception(err, ex);
            }
        }
    }
    return fail(err, ANEPROBE_UNSUPPORTED, kShimDomain, 0, @"compiling needs macOS 13 or later");
}

/* ---------- load: the model and its deterministic inputs ---------- */

/** The object behind an aneprobe_model handle (retained with CFBridgingRetain, released by aneprobe_model_free). */
@interface APModelBox : NSObject
@property(nonatomic, strong) MLModel *model;
@property(nonatomic, strong) id<MLFeatureProvider> inputs;
/* The model's state, made once at load; nil for a model without states (then predictions take no state). */
@property(nonatomic, strong) MLState *state API_AVAILABLE(macos(15.0));
@end

@implementation APModelBox
@end

static uint64_t xorshift(uint64_t *state) {
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

/* A deterministic value in [-1, 1). */
static double next_unit(uint64_t *state) {
    return (double)(xorshift(state) >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

/* IEEE half bits of a float of magnitude < 2 (what next_unit yields); tiny values flush to signed zero. */
static uint16_t half_bits(float f) {
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    int32_t exponent = (int32_t)((x >> 23) & 0xFFu) - 127 + 15;
    uint32_t mantissa = x & 0x7FFFFFu;
    if (exponent <= 0) {
        return sign;
    }
    if (exponent >= 31) {
        return (uint16_t)(sign | 0x7C00u);
    }
    return (uint16_t)(sign | ((uint32_t)exponent << 10) | (mantissa >> 13));
}

/*
 * Fills a fresh multiarray: floats from the xorshift sequence in [-1, 1), integers 0 (valid as indices for any
 * shape). MLMultiArrayDataType raw values encode kind and width: 0x10000|bits for floats, 0x20000|bits for integers.
 */
API_AVAILABLE(macos(12.3))
static void fill_array(MLMultiArray *array, uint64_t *state) {
    NSInteger type = (NSInteger)array.dataType;
    NSInteger kind = type >> 16;
    NSInteger bits = type & 0xFF;
    [array getMutableBytesWithHandler:^(void *bytes, NSInteger size, NSArray<NSNumber *> *strides) {
        (void)strides; /* the whole backing store is filled, whatever the layout */
        if (kind != 1) {
            memset(bytes, 0, (size_t)size);
            return;
        }
        if (bits == 16) {
            uint16_t *h = bytes;
            for (NSInteger i = 0; i < size / 2; i++) {
                h[i] = half_bits((float)next_unit(state));
            }
        } else if (bits == 32) {
            float *f = bytes;
            for (NSInteger i = 0; i < size / 4; i++) {
                f[i] = (float)next_unit(state);
            }
        } else if (bits == 64) {
            double *d = bytes;
            for (NSInteger i = 0; i < size / 8; i++) {
                d[i] = next_unit(state);
            }
        } else {
            memset(bytes, 0, (size_t)size);
        }
    }];
}

/*
 * One multiarray per input, from the model description (inputs taken in name order for a stable sequence).
 * Model states (read_state/write_state, macOS 15+) are not inputs: the model description lists them apart, in
 * stateDescriptionsByName, and a stateful prediction takes them as an MLState beside the input features. Should a
 * state name ever show up among the inputs as well, it is skipped here rather than fed as an input.
 */
API_AVAILABLE(macos(13.0))
static id<MLFeatureProvider> make_inputs(MLModelDescription *description, aneprobe_status *status,
                                         aneprobe_error *err) {
    NSMutableDictionary<NSString *, MLFeatureValue *> *values = [NSMutableDictionary dictionary];
    NSDictionary<NSString *, MLFeatureDescription *> *byName = description.inputDescriptionsByName;
    NSDictionary<NSString *, MLFeatureDescription *> *states = nil;
    if (@available(macOS 15.0, *)) {
        states = description.stateDescriptionsByName;
    }
    NSArray<NSString *> *names = [byName.allKeys sortedArrayUsingSelector:@selector(compare:)];
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (NSString *name in names) {
        if (states[name] != nil) {
            continue;
        }
        MLFeatureDescription *feature = byName[name];
        MLMultiArrayConstraint *constraint = feature.multiArrayConstraint;
        if (feature.type != MLFeatureTypeMultiArray || constraint == nil) {
            *status = fail(err, ANEPROBE_UNSUPPORTED_MODEL, kShimDomain, (NSInteger)feature.type,
                           [NSString stringWithFormat:@"input '%@' is not a multiarray; aneprobe feeds only multiarray "
                                                      @"inputs",
                                                      name]);
            return nil;
        }
        NSError *error = nil;
        MLMultiArray *array = [[MLMultiArray alloc] initWithShape:constraint.shape
                                                         dataType:constraint.dataType
                                                            error:&error];
        if (array == nil) {
            *status = fail_nserror(err, ANEPROBE_COREML_ERROR, error);
            return nil;
        }
        fill_array(array, &state);
        values[name] = [MLFeatureValue featureValueWithMultiArray:array];
    }
    NSError *error = nil;
    MLDictionaryFeatureProvider *provider = [[MLDictionaryFeatureProvider alloc] initWithDictionary:values
                                                                                              error:&error];
    if (provider == nil) {
        *status = fail_nserror(err, ANEPROBE_COREML_ERROR, error);
        return nil;
    }
    *status = ANEPROBE_OK;
    return provider;
}

aneprobe_status aneprobe_load(const char *compiled_path, int64_t compute_units, aneprobe_model **out,
                              double *load_ms, aneprobe_error *err) {
    if (compiled_path == NULL || out == NULL || load_ms == NULL) {
        return invalid(err, 0, @"compiled_path, out and load_ms are required");
    }
    if (compute_units < 0 || compute_units > 3) {
        return invalid(err, (NSInteger)compute_units, @"compute_units must be an MLComputeUnits value 0..3");
    }
    if (@available(macOS 13.0, *)) {
        @autoreleasepool {
            @try {
                MLModelConfiguration *config = [[MLModelConfiguration alloc] init];
                config.computeUnits = (MLComputeUnits)compute_units;
                NSError *error = nil;
                uint64_t t0 = now_ns();
                MLModel *model = [MLModel modelWithContentsOfURL:[NSURL fileURLWithPath:@(compiled_path)]
                                                   configuration:config
                                                           error:&error];
                double ms = ms_since(t0);
                if (model == nil) {
                    return fail_nserror(err, ANEPROBE_COREML_ERROR, error);
                }
                aneprobe_status status = ANEPROBE_OK;
                id<MLFeatureProvider> inputs = make_inputs(model.modelDescription, &status, err);
                if (inputs == nil) {
                    return status;
                }
                APModelBox *box = [[APModelBox alloc] init];
                box.model = model;
                box.inputs = inputs;
                if (@available(macOS 15.0, *)) {
                    /* A stateful model cannot be predicted without a state: make one (zeroed buffers) for all of
                     * this handle's predictions. A model without states keeps the stateless call. */
                    if (model.modelDescription.stateDescriptionsByName.count > 0) {
                        MLState *modelState = [model newState];
                        if (modelState == nil) {
                            return fail(err, ANEPROBE_COREML_ERROR, kShimDomain, 0,
                                        @"the model has states but newState returned no state");
                        }
                        box.state = modelState;
                    }
                }
                *out = (aneprobe_model *)(void *)CFBridgingRetain(box);
                *load_ms = ms;
                return ANEPROBE_OK;
            } @catch (NSException *ex) {
                return fail_exception(err, ex);
            }
        }
    }
    return fail(err, ANEPROBE_UNSUPPORTED, kShimDomain, 0, @"loading needs macOS 13 or later");
}

void aneprobe_model_free(aneprobe_model *model) {
    if (model != NULL) {
        CFRelease((CFTypeRef)model);
    }
}

/* ---------- predict ---------- */

/*
 * One prediction, timed around the Core ML call alone (the availability check stays outside the timed span).
 * A stateful model predicts through its MLState; the outputs are never read (they may be class labels or
 * probability dictionaries as well as multiarrays): only the time and success count.
 */
static id<MLFeatureProvider> predict_once(APModelBox *box, uint64_t *elapsed_ns, NSError **error) {
    if (@available(macOS 15.0, *)) {
        MLState *modelState = box.state;
        if (modelState != nil) {
            uint64_t t0 = now_ns();
            id<MLFeatureProvider> result = [box.model predictionFromFeatures:box.inputs
                                                                  usingState:modelState
                                                                       error:error];
            *elapsed_ns = now_ns() - t0;
            return result;
        }
    }
    uint64_t t0 = now_ns();
    id<MLFeatureProvider> result = [box.model predictionFromFeatures:box.inputs error:error];
    *elapsed_ns = now_ns() - t0;
    return result;
}

aneprobe_status aneprobe_predict(aneprobe_model *model, int32_t warmup, int32_t iterations, int64_t *cold_ns,
                                 int64_t *samples_ns, aneprobe_error *err) {
    if (model == NULL || cold_ns == NULL || samples_ns == NULL || warmup < 0 || iterations < 1) {
        return invalid(err, 0, @"model, cold_ns and samples_ns are required; warmup >= 0, iterations >= 1");
    }
    APModelBox *box = (__bridge APModelBox *)(void *)model;
    @try {
        /* i = -1 is the cold prediction, then warmup untimed-for-the-caller ones, then the timed ones. */
        for (int32_t i = -1; i < warmup + iterations; i++) {
            @autoreleasepool {
                NSError *error = nil;
                uint64_t elapsed = 0;
                id<MLFeatureProvider> result = predict_once(box, &elapsed, &error);
                if (result == nil) {
                    return fail_nserror(err, ANEPROBE_COREML_ERROR, error);
                }
                if (i < 0) {
                    *cold_ns = (int64_t)elapsed;
                } else if (i >= warmup) {
                    samples_ns[i - warmup] = (int64_t)elapsed;
                }
            }
        }
    } @catch (NSException *ex) {
        return fail_exception(err, ex);
    }
    return ANEPROBE_OK;
}

/* ---------- compute plan ---------- */

struct aneprobe_plan {
    int64_t count;
    int64_t capacity;
    aneprobe_plan_entry *entries;
    int out_of_memory; /* set when an entry could not be stored: the plan is then refused, never silently short */
};

static void plan_add(struct aneprobe_plan *plan, NSString *name, NSString *kind, int32_t preferred, uint32_t mask,
                     double cost) {
    if (plan->count == plan->capacity) {
        int64_t capacity = plan->capacity == 0 ? 16 : plan->capacity * 2;
        aneprobe_plan_entry *grown = realloc(plan->entries, (size_t)capacity * sizeof *grown);
        if (grown == NULL) {
            plan->out_of_memory = 1;
            return;
        }
        plan->entries = grown;
        plan->capacity = capacity;
    }
    aneprobe_plan_entry *e = &plan->entries[plan->count++];
    const char *n = name != nil ? [name UTF8String] : NULL;
    const char *k = kind != nil ? [kind UTF8String] : NULL;
    e->name = strdup(n != NULL ? n : "");
    e->kind = strdup(k != NULL ? k : "");
    if (e->name == NULL || e->kind == NULL) {
        plan->out_of_memory = 1;
    }
    e->preferred = preferred;
    e->supported_mask = mask;
    e->cost = cost;
}

API_AVAILABLE(macos(14.4))
static int32_t usage_preferred(MLComputePlanDeviceUsage *usage) {
    return usage == nil ? ANEPROBE_DEVICE_NONE : device_kind(usage.preferredComputeDevice);
}

API_AVAILABLE(macos(14.4))
static uint32_t usage_mask(MLComputePlanDeviceUsage *usage) {
    uint32_t mask = 0;
    for (id<MLComputeDeviceProtocol> d in usage.supportedComputeDevices) {
        mask |= 1u << device_kind(d);
    }
    return mask;
}

API_AVAILABLE(macos(14.4))
static void flatten_block(MLComputePlan *plan, MLModelStructureProgramBlock *block, struct aneprobe_plan *out) {
    for (MLModelStructureProgramOperation *op in block.operations) {
        MLComputePlanDeviceUsage *usage = [plan computeDeviceUsageForMLProgramOperation:op];
        MLComputePlanCost *cost = [plan estimatedCostOfMLProgramOperation:op];
        /* An operation is named by its first output: what a probe's "probe"/"aux_*" names land on. */
        NSString *name = op.outputs.firstObject.name;
        plan_add(out, name, op.operatorName, usage_preferred(usage), usage_mask(usage),
                 cost != nil ? cost.weight : (double)NAN);
        for (MLModelStructureProgramBlock *inner in op.blocks) {
            flatten_block(plan, inner, out);
        }
    }
}

API_AVAILABLE(macos(14.4))
static void flatten_structure(MLComputePlan *plan, MLModelStructure *structure, struct aneprobe_plan *out) {
    if (structure.neuralNetwork != nil) {
        for (MLModelStructureNeuralNetworkLayer *layer in structure.neuralNetwork.layers) {
            MLComputePlanDeviceUsage *usage = [plan computeDeviceUsageForNeuralNetworkLayer:layer];
            /* Core ML has no cost estimate for NeuralNetwork layers. */
            plan_add(out, layer.name, layer.type, usage_preferred(usage), usage_mask(usage), (double)NAN);
        }
    } else if (structure.program != nil) {
        NSDictionary<NSString *, MLModelStructureProgramFunction *> *functions = structure.program.functions;
        for (NSString *fn in [functions.allKeys sortedArrayUsingSelector:@selector(compare:)]) {
            flatten_block(plan, functions[fn].block, out);
        }
    } else if (structure.pipeline != nil) {
        for (MLModelStructure *sub in structure.pipeline.subModels) {
            flatten_structure(plan, sub, out);
        }
    }
}

aneprobe_status aneprobe_plan_load(const char *compiled_path, int64_t compute_units, aneprobe_plan **out,
                                   double *plan_ms, aneprobe_error *err) {
    if (compiled_path == NULL || out == NULL || plan_ms == NULL) {
        return invalid(err, 0, @"compiled_path, out and plan_ms are required");
    }
    if (compute_units < 0 || compute_units > 3) {
        return invalid(err, (NSInteger)compute_units, @"compute_units must be an MLComputeUnits value 0..3");
    }
    if (@available(macOS 14.4, *)) {
        @autoreleasepool {
            @try {
                MLModelConfiguration *config = [[MLModelConfiguration alloc] init];
                config.computeUnits = (MLComputeUnits)compute_units;
                /* Must be a compiled .mlmodelc: an uncompiled package aborts the process (coremltools #2757). */
                NSURL *url = [NSURL fileURLWithPath:@(compiled_path)];
                __block MLComputePlan *computePlan = nil;
                __block NSError *planError = nil;
                dispatch_semaphore_t done = dispatch_semaphore_create(0);
                uint64_t t0 = now_ns();
                [MLComputePlan loadContentsOfURL:url
                                   configuration:config
                               completionHandler:^(MLComputePlan *loaded, NSError *error) {
                                   computePlan = loaded;
                                   planError = error;
                                   dispatch_semaphore_signal(done);
                               }];
                dispatch_semaphore_wait(done, DISPATCH_TIME_FOREVER);
                if (computePlan == nil) {
                    return fail_nserror(err, ANEPROBE_COREML_ERROR, planError);
                }
                struct aneprobe_plan *plan = calloc(1, sizeof *plan);
                if (plan == NULL) {
                    return fail(err, ANEPROBE_INTERNAL_ERROR, kShimDomain, 0, @"out of memory");
                }
                flatten_structure(computePlan, computePlan.modelStructure, plan);
                if (plan->out_of_memory) {
                    aneprobe_plan_free(plan);
                    return fail(err, ANEPROBE_INTERNAL_ERROR, kShimDomain, 0, @"out of memory flattening the plan");
                }
                *plan_ms = ms_since(t0);
                *out = plan;
                return ANEPROBE_OK;
            } @catch (NSException *ex) {
                return fail_exception(err, ex);
            }
        }
    }
    return fail(err, ANEPROBE_UNSUPPORTED, kShimDomain, 0, @"MLComputePlan needs macOS 14.4 or later");
}

int64_t aneprobe_plan_count(const aneprobe_plan *plan) {
    return plan == NULL ? 0 : plan->count;
}

aneprobe_status aneprobe_plan_entry_get(const aneprobe_plan *plan, int64_t index, aneprobe_plan_entry *out,
                                        aneprobe_error *err) {
    if (plan == NULL || out == NULL) {
        return invalid(err, 0, @"plan and out are required");
    }
    if (index < 0 || index >= plan->count) {
        return invalid(err, (NSInteger)index,
                       [NSString stringWithFormat:@"index %lld out of range [0, %lld)", (long long)index,
                                                  (long long)plan->count]);
    }
    *out = plan->entries[index];
    return ANEPROBE_OK;
}

void aneprobe_plan_free(aneprobe_plan *plan) {
    if (plan == NULL) {
        return;
    }
    for (int64_t i = 0; i < plan->count; i++) {
        free((void *)plan->entries[i].name);
        free((void *)plan->entries[i].kind);
    }
    free(plan->entries);
    free(plan);
}
