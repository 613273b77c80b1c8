/*
 * aneprobe.h -- the plain-C ABI between the aneprobe harness (Java, through JNA) and Core ML.
 *
 * This header is the ONLY thing Java sees. Two implementations exist:
 *   native/src/aneprobe.m          Objective-C (ARC) over Core ML, macOS only;
 *   native/test/aneprobe_double.c  a C test double with fault modes, used by the Linux test suite.
 * The JNA mirror is dev.aneprobe.harness.bridge.AneprobeLibrary: same names, same order. Change both together and
 * bump ANEPROBE_ABI_VERSION.
 *
 * Conventions
 *  - Every function is synchronous; asynchronous Core ML APIs are waited for inside the shim.
 *  - Every fallible function returns an aneprobe_status and takes a caller-allocated aneprobe_error *, which may be
 *    NULL. On any status other than ANEPROBE_OK the error is filled (domain, code, description); on ANEPROBE_OK it
 *    is left untouched.
 *  - Handles are opaque and owned by the caller once returned; free each with its *_free function (NULL is a no-op).
 *  - Strings given to the shim are UTF-8 and NUL-terminated. Strings returned inside aneprobe_plan_entry are owned
 *    by the plan handle and stay valid until aneprobe_plan_free.
 *  - Compute units are Core ML's MLComputeUnits raw values (NSInteger, passed as int64_t):
 *    CPUOnly 0, CPUAndGPU 1, All 2, CPUAndNeuralEngine 3.
 *  - Times: compile/load/plan in milliseconds (double); predictions in nanoseconds (int64_t), each measured with
 *    clock_gettime_nsec_np(CLOCK_UPTIME_RAW) around one prediction.
 */
#ifndef ANEPROBE_H
#define ANEPROBE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bumped whenever a signature, struct layout or enum value below changes. */
#define ANEPROBE_ABI_VERSION 1

#define ANEPROBE_ERROR_DOMAIN_LEN 128
#define ANEPROBE_ERROR_DESCRIPTION_LEN 1024
#define ANEPROBE_HOST_CHIP_LEN 128
#define ANEPROBE_HOST_MODEL_LEN 64
#define ANEPROBE_HOST_OS_LEN 32
#define ANEPROBE_MAX_DEVICES 16

/** Outcome of a call. */
typedef enum aneprobe_status {
    /** Done. */
    ANEPROBE_OK = 0,
    /** Core ML (or the OS) reported an error; the error struct carries its NSError domain, code and text. */
    ANEPROBE_COREML_ERROR = 1,
    /** The running OS lacks the API (e.g. the compute plan before macOS 14.4, compile before macOS 13). */
    ANEPROBE_UNSUPPORTED = 2,
    /** A NULL handle or pointer, a negative count, a bad compute-units value, a path that is not a file URL. */
    ANEPROBE_INVALID_ARGUMENT = 3,
    /** A file-system step of the shim itself failed (e.g. moving the compiled model into place). */
    ANEPROBE_IO_ERROR = 4,
    /** The model cannot be driven by the shim (e.g. an input that is not a multiarray). */
    ANEPROBE_UNSUPPORTED_MODEL = 5,
    /** A bug or an unexpected Objective-C exception inside the shim. */
    ANEPROBE_INTERNAL_ERROR = 6
} aneprobe_status;

/** A compute device as Core ML names it. */
typedef enum aneprobe_device {
    /** Unknown or not given (e.g. the plan has no usage for a const op). */
    ANEPROBE_DEVICE_NONE = 0,
    /** MLCPUComputeDevice */
    ANEPROBE_DEVICE_CPU = 1,
    /** MLGPUComputeDevice */
    ANEPROBE_DEVICE_GPU = 2,
    /** MLNeuralEngineComputeDevice */
    ANEPROBE_DEVICE_ANE = 3,
    /** A device class this ABI version does not know. */
    ANEPROBE_DEVICE_OTHER = 4
} aneprobe_device;

/** Filled on every failure. Caller-allocated; the strings are always NUL-terminated (truncated if needed). */
typedef struct aneprobe_error {
    /** NSError domain, e.g. "com.apple.CoreML", or "aneprobe" for the shim's own errors. */
    char domain[ANEPROBE_ERROR_DOMAIN_LEN];
    /** NSError code (NSInteger). */
    int64_t code;
    /** NSError localizedDescription (plus the underlying error's, when there is one). */
    char description[ANEPROBE_ERROR_DESCRIPTION_LEN];
} aneprobe_error;

/** The machine, as far as the shim can tell. Caller-allocated. */
typedef struct aneprobe_host {
    /** sysctl machdep.cpu.brand_string, e.g. "Apple M1". */
    char chip[ANEPROBE_HOST_CHIP_LEN];
    /** sysctl hw.model, e.g. "MacBookPro17,1". */
    char machine_model[ANEPROBE_HOST_MODEL_LEN];
    /** "major.minor" or "major.minor.patch", from NSProcessInfo operatingSystemVersion. */
    char os_version[ANEPROBE_HOST_OS_LEN];
    /** sysctl kern.osversion, e.g. "23F79". */
    char os_build[ANEPROBE_HOST_OS_LEN];
    int32_t os_major;
    int32_t os_minor;
    int32_t os_patch;
    /** 1 when a Neural Engine is usable by Core ML, else 0. */
    int32_t has_neural_engine;
    /** MLNeuralEngineComputeDevice.totalCoreCount, 0 when unknown or absent. */
    int32_t neural_engine_cores;
    /**
     * 1 when the device list was inferred rather than listed by Core ML (macOS 13 has no device API: the shim
     * assumes cpu+gpu(+ane on Apple silicon outside a VM)); 0 when MLAllComputeDevices() listed it.
     */
    int32_t devices_inferred;
    /** Number of valid entries in devices. */
    int32_t device_count;
    /** aneprobe_device values, in Core ML's order. */
    int32_t devices[ANEPROBE_MAX_DEVICES];
} aneprobe_host;

/** One NeuralNetwork layer or ML Program operation of a compute plan. Strings are owned by the plan handle. */
typedef struct aneprobe_plan_entry {
    /** Layer name, or the op's first output name (what the harness matches: "probe", "aux_*"). */
    const char *name;
    /** Runtime layer kind ("pooling") or MIL operator name ("conv"). */
    const char *kind;
    /** aneprobe_device the framework prefers, ANEPROBE_DEVICE_NONE when the plan has no usage for it. */
    int32_t preferred;
    /** Bit mask of supported devices: bit (1u << aneprobe_device). */
    uint32_t supported_mask;
    /** Estimated share of the model's work in [0,1] (ML Programs), NaN when Core ML gives none. */
    double cost;
} aneprobe_plan_entry;

/** A loaded model (MLModel plus its preallocated inputs). */
typedef struct aneprobe_model aneprobe_model;
/** A compute plan, flattened to entries at load time. */
typedef struct aneprobe_plan aneprobe_plan;

/** ANEPROBE_ABI_VERSION of the library actually loaded. */
int32_t aneprobe_abi_version(void);

/** Chip, machine, OS and Core ML's compute devices. */
aneprobe_status aneprobe_host_info(aneprobe_host *out, aneprobe_error *err);

/**
 * Compiles a .mlmodel file or .mlpackage directory and moves the compiled bundle to dest_path, which must not exist
 * (its parent must). dest_path should end in ".mlmodelc". Writes the compile time (ms) to *compile_ms.
 */
aneprobe_status aneprobe_compile(const char *model_path, const char *dest_path, double *compile_ms,
                                 aneprobe_error *err);

/**
 * Loads a compiled .mlmodelc with the given MLComputeUnits and prepares deterministic inputs from the model
 * description (shapes and multiarray types; floats from a fixed xorshift sequence in [-1, 1), integers 0).
 * A model with states (macOS 15+) also gets one state, zeroed, that all of the handle's predictions use; states are
 * not inputs. Writes the load time (ms, MLModel load only) to *load_ms and the handle to *out.
 */
aneprobe_status aneprobe_load(const char *compiled_path, int64_t compute_units, aneprobe_model **out,
                              double *load_ms, aneprobe_error *err);

/** Frees a model handle. NULL is a no-op. */
void aneprobe_model_free(aneprobe_model *model);

/**
 * Loads the compute plan of a compiled .mlmodelc (macOS 14.4+; ANEPROBE_UNSUPPORTED before) for the given compute
 * units and flattens it: every NeuralNetwork layer or ML Program operation (nested blocks and pipeline sub-models
 * included), in model order. Writes the time (ms) to *plan_ms and the handle to *out.
 */
aneprobe_status aneprobe_plan_load(const char *compiled_path, int64_t compute_units, aneprobe_plan **out,
                                   double *plan_ms, aneprobe_error *err);

/** Number of entries in a plan (0 for NULL). */
int64_t aneprobe_plan_count(const aneprobe_plan *plan);

/** Copies entry index (0 <= index < count) into *out. Its strings stay owned by the plan. */
aneprobe_status aneprobe_plan_entry_get(const aneprobe_plan *plan, int64_t index, aneprobe_plan_entry *out,
                                        aneprobe_error *err);

/** Frees a plan handle and its strings. NULL is a no-op. */
void aneprobe_plan_free(aneprobe_plan *plan);

/**
 * Runs one cold prediction, then warmup untimed-for-the-caller predictions, then iterations timed predictions,
 * all on the inputs (and, for a stateful model, the state) prepared at load. Outputs are not read. *cold_ns
 * receives the first prediction's time; samples_ns (caller array of at least iterations elements) receives every
 * timed prediction in order. warmup >= 0, iterations >= 1.
 */
aneprobe_status aneprobe_predict(aneprobe_model *model, int32_t warmup, int32_t iterations, int64_t *cold_ns,
                                 int64_t *samples_ns, aneprobe_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ANEPROBE_H */
