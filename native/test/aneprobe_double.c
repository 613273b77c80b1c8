/*
 * aneprobe_double.c -- a C test double of native/include/aneprobe.h, for the Linux test suite.
 *
 * It behaves like a small, predictable Core ML: "compile" creates the destination directory and copies the model's
 * text into it, "load" reads it back, the plan and the latencies come from that text, and faults really happen
 * (abort, segfault, hang, exit) so the harness's worker isolation is tested against real process deaths.
 *
 * A "model" is a text file (or, for a directory, <dir>/Data/com.apple.CoreML/model.mlmodel) of directives, one per
 * line, '#' starts a comment:
 *   fault=<mode>@<stage>      mode: abort | segv | hang | exit | error | unsupported
 *                             stage: compile | load | plan | predict
 *   fault.<cpu|gpu|all|ane>=<mode>@<stage>   the same, only under that compute-units setting (load, plan, predict)
 *   error=<domain>|<code>|<description>      what mode "error" reports (default: a Core ML-looking load error)
 *   plan=<name>|<kind>|<preferred>|<supported,...>|<cost or nan>   one per entry; device names cpu gpu ane other none
 *   latency.<cpu|gpu|all|ane>=<ns>   base prediction latency per compute-units setting (default 100000)
 *   sleep_ms=<n>              really sleep n ms in every prediction (makes a sweep slow enough to kill mid-run)
 *   compile_ms=<x>, load_ms=<x>, plan_ms=<x>   reported stage times
 * Without plan= lines the plan is one entry "probe|pooling|ane|cpu,gpu,ane|nan".
 * The preferred device is clamped to what the compute units allow (cpu only; cpu+gpu; cpu+ane; all) and, on a
 * host without ANE, the ANE never appears.
 *
 * Environment (read at every call, so a test can set it per worker process):
 *   ANEPROBE_DOUBLE_FAULT=<mode>@<stage>   like fault=, for every model; stage may also be "host"
 *   ANEPROBE_DOUBLE_NO_ANE=1               the host has no Neural Engine (an Intel Mac or a VM)
 *   ANEPROBE_DOUBLE_OS=<major.minor[.patch]>  reported macOS version (default 14.5): < 14.4 has no compute plan,
 *                                          < 13 has neither compile nor predict
 */
#define _POSIX_C_SOURCE 200809L
#include "aneprobe.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_MODEL_TEXT (64 * 1024)
#define MAX_PLAN_ENTRIES 64

struct aneprobe_model {
    char *text;
    int64_t units;
};

struct aneprobe_plan {
    int64_t count;
    aneprobe_plan_entry entries[MAX_PLAN_ENTRIES];
    char *names[MAX_PLAN_ENTRIES];
    char *kinds[MAX_PLAN_ENTRIES];
};

/* ---------- small helpers ---------- */

static const char *units_label(int64_t units);

static void copy_str(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static aneprobe_status fail(aneprobe_error *err, aneprobe_status status, const char *domain, int64_t code,
                            const char *description) {
    if (err != NULL) {
        copy_str(err->domain, sizeof err->domain, domain);
        err->code = code;
        copy_str(err->description, sizeof err->description, description);
    }
    return status;
}

static void os_version(int *major, int *minor, int *patch) {
    const char *v = getenv("ANEPROBE_DOUBLE_OS");
    *major = 14;
    *minor = 5;
    *patch = 0;
    if (v != NULL && *v != '\0') {
        *minor = 0;
        sscanf(v, "%d.%d.%d", major, minor, patch);
    }
}

static int os_at_least(int major, int minor) {
    int ma, mi, pa;
    os_version(&ma, &mi, &pa);
    return ma > major || (ma == major && mi >= minor);
}

static int host_has_ane(void) {
    const char *v = getenv("ANEPROBE_DOUBLE_NO_ANE");
    return !(v != NULL && strcmp(v, "1") == 0);
}

static char *read_file(const char *path) {
    struct stat st;
    char inner[4096];
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(inner, sizeof inner, "%s/Data/com.apple.CoreML/model.mlmodel", path);
        path = inner;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    char *buf = malloc(MAX_MODEL_TEXT + 1);
    if (buf == NULL) {
        fclose(f);
        return NULL;
    }
    size_t n = fread(buf, 1, MAX_MODEL_TEXT, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Finds "key=" at the start of a line; copies the rest of the line into out. Returns 1 when found. */
static int directive(const char *text, const char *key, char *out, size_t cap) {
    size_t klen = strlen(key);
    const char *line = text;
    while (line != NULL && *line != '\0') {
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == '=') {
            size_t vlen = len - klen - 1;
            if (vlen >= cap) {
                vlen = cap - 1;
            }
            memcpy(out, line + klen + 1, vlen);
            out[vlen] = '\0';
            return 1;
        }
        line = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

static double directive_double(const char *text, const char *key, double fallback) {
    char v[64];
    return directive(text, key, v, sizeof v) ? strtod(v, NULL) : fallback;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/*
 * Applies a fault spec "<mode>@<stage>" if its stage is this one. abort/segv/hang/exit never return; error and
 * unsupported return the status to hand back; otherwise ANEPROBE_OK.
 */
static aneprobe_status apply_fault(const char *spec, const char *stage, const char *text, aneprobe_error *err) {
    char mode[32];
    const char *at = strchr(spec, '@');
    if (at == NULL || strcmp(at + 1, stage) != 0) {
        return ANEPROBE_OK;
    }
    size_t mlen = (size_t)(at - spec);
    if (mlen >= sizeof mode) {
        return ANEPROBE_OK;
    }
    memcpy(mode, spec, mlen);
    mode[mlen] = '\0';
    if (strcmp(mode, "abort") == 0) {
        fprintf(stderr, "aneprobe double: aborting in %s as asked\n", stage);
        fflush(stderr);
        abort();
    }
    if (strcmp(mode, "segv") == 0) {
        fprintf(stderr, "aneprobe double: writing to address 16 in %s as asked\n", stage);
        fflush(stderr);
        int *volatile bad = (int *)(uintptr_t)16; /* volatile: the compiler cannot see the address */
        *bad = 1;
        abort(); /* not reached */
    }
    if (strcmp(mode, "hang") == 0) {
        fprintf(stderr, "aneprobe double: hanging in %s as asked\n", stage);
        fflush(stderr);
        for (;;) {
            sleep_ms(1000);
        }
    }
    if (strcmp(mode, "exit") == 0) {
        fprintf(stderr, "aneprobe double: exiting with status 3 in %s as asked\n", stage);
        fflush(stderr);
        _exit(3);
    }
    if (strcmp(mode, "unsupported") == 0) {
        return fail(err, ANEPROBE_UNSUPPORTED, "aneprobe", 0, "this API is not available (test double)");
    }
    if (strcmp(mode, "error") == 0) {
        char spec_err[1200];
        char domain[ANEPROBE_ERROR_DOMAIN_LEN] = "com.apple.CoreML";
        char description[ANEPROBE_ERROR_DESCRIPTION_LEN] = "Failed to build the model execution plan (test double).";
        long long code = 0;
        if (text != NULL && directive(text, "error", spec_err, sizeof spec_err)) {
            char *p1 = strchr(spec_err, '|');
            char *p2 = p1 != NULL ? strchr(p1 + 1, '|') : NULL;
            if (p1 != NULL && p2 != NULL) {
                *p1 = '\0';
                *p2 = '\0';
                copy_str(domain, sizeof domain, spec_err);
                code = strtoll(p1 + 1, NULL, 10);
                copy_str(description, sizeof description, p2 + 1);
            }
        }
        return fail(err, ANEPROBE_COREML_ERROR, domain, (int64_t)code, description);
    }
    return ANEPROBE_OK;
}

/* The model's own fault (the one for these compute units first, when units_name is given), then the environment's. */
static aneprobe_status faults(const char *stage, const char *text, const char *units_name, aneprobe_error *err) {
    char spec[64];
    char key[32];
    aneprobe_status st = ANEPROBE_OK;
    if (text != NULL && units_name != NULL) {
        snprintf(key, sizeof key, "fault.%s", units_name);
        if (directive(text, key, spec, sizeof spec)) {
            st = apply_fault(spec, stage, text, err);
        }
    }
    if (st == ANEPROBE_OK && text != NULL && directive(text, "fault", spec, sizeof spec)) {
        st = apply_fault(spec, stage, text, err);
    }
    const char *env = getenv("ANEPROBE_DOUBLE_FAULT");
    if (st == ANEPROBE_OK && env != NULL && *env != '\0') {
        st = apply_fault(env, stage, text, err);
    }
    return st;
}

static int device_of(const char *name) {
    if (strcmp(name, "cpu") == 0) return ANEPROBE_DEVICE_CPU;
    if (strcmp(name, "gpu") == 0) return ANEPROBE_DEVICE_GPU;
    if (strcmp(name, "ane") == 0) return ANEPROBE_DEVICE_ANE;
    if (strcmp(name, "other") == 0) return ANEPROBE_DEVICE_OTHER;
    return ANEPROBE_DEVICE_NONE;
}

static int units_allow(int64_t units, int device) {
    switch (device) {
    case ANEPROBE_DEVICE_CPU: return 1;
    case ANEPROBE_DEVICE_GPU: return units == 1 || units == 2;
    case ANEPROBE_DEVICE_ANE: return (units == 2 || units == 3) && host_has_ane();
    default: return units == 2;
    }
}

static const char *units_label(int64_t units) {
    switch (units) {
    case 0: return "cpu";
    case 1: return "gpu";
    case 2: return "all";
    default: return "ane";
    }
}

/* ---------- the ABI ---------- */

int32_t aneprobe_abi_version(void) {
    return ANEPROBE_ABI_VERSION;
}

aneprobe_status aneprobe_host_info(aneprobe_host *out, aneprobe_error *err) {
    if (out == NULL) {
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "out is NULL");
    }
    aneprobe_status st = faults("host", NULL, NULL, err);
    if (st != ANEPROBE_OK) {
        return st;
    }
    int major, minor, patch;
    os_version(&major, &minor, &patch);
    memset(out, 0, sizeof *out);
    copy_str(out->chip, sizeof out->chip, "Test Double D1");
    copy_str(out->machine_model, sizeof out->machine_model, "Double1,1");
    if (patch != 0) {
        snprintf(out->os_version, sizeof out->os_version, "%d.%d.%d", major, minor, patch);
    } else {
        snprintf(out->os_version, sizeof out->os_version, "%d.%d", major, minor);
    }
    copy_str(out->os_build, sizeof out->os_build, "23F79");
    out->os_major = major;
    out->os_minor = minor;
    out->os_patch = patch;
    out->has_neural_engine = host_has_ane();
    out->neural_engine_cores = host_has_ane() ? 16 : 0;
    out->devices_inferred = os_at_least(14, 0) ? 0 : 1;
    out->devices[out->device_count++] = ANEPROBE_DEVICE_CPU;
    out->devices[out->device_count++] = ANEPROBE_DEVICE_GPU;
    if (host_has_ane()) {
        out->devices[out->device_count++] = ANEPROBE_DEVICE_ANE;
    }
    return ANEPROBE_OK;
}

aneprobe_status aneprobe_compile(const char *model_path, const char *dest_path, double *compile_ms,
                                 aneprobe_error *err) {
    if (model_path == NULL || dest_path == NULL || compile_ms == NULL) {
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "model_path, dest_path and compile_ms are required");
    }
    if (!os_at_least(13, 0)) {
        return fail(err, ANEPROBE_UNSUPPORTED, "aneprobe", 0, "compiling needs macOS 13 or later");
    }
    char *text = read_file(model_path);
    if (text == NULL) {
        char msg[600];
        snprintf(msg, sizeof msg, "The file couldn't be opened: %s", model_path);
        return fail(err, ANEPROBE_COREML_ERROR, "com.apple.CoreML", 3, msg);
    }
    aneprobe_status st = faults("compile", text, NULL, err);
    if (st != ANEPROBE_OK) {
        free(text);
        return st;
    }
    struct stat sb;
    if (stat(dest_path, &sb) == 0) {
        free(text);
        return fail(err, ANEPROBE_IO_ERROR, "NSCocoaErrorDomain", 516, "the destination already exists");
    }
    char target[4096];
    snprintf(target, sizeof target, "%s/model.directives", dest_path);
    FILE *f = NULL;
    if (mkdir(dest_path, 0755) != 0 || (f = fopen(target, "wb")) == NULL) {
        free(text);
        return fail(err, ANEPROBE_IO_ERROR, "NSPOSIXErrorDomain", errno, strerror(errno));
    }
    fputs(text, f);
    fclose(f);
    *compile_ms = directive_double(text, "compile_ms", 12.5);
    free(text);
    return ANEPROBE_OK;
}

static char *read_compiled(const char *compiled_path, aneprobe_error *err, aneprobe_status *st) {
    char path[4096];
    snprintf(path, sizeof path, "%s/model.directives", compiled_path);
    char *text = read_file(path);
    if (text == NULL) {
        char msg[600];
        snprintf(msg, sizeof msg, "Compiled model not found at %s", compiled_path);
        *st = fail(err, ANEPROBE_COREML_ERROR, "com.apple.CoreML", 0, msg);
    }
    return text;
}

aneprobe_status aneprobe_load(const char *compiled_path, int64_t compute_units, aneprobe_model **out,
                              double *load_ms, aneprobe_error *err) {
    if (compiled_path == NULL || out == NULL || load_ms == NULL) {
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "compiled_path, out and load_ms are required");
    }
    if (compute_units < 0 || compute_units > 3) {
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", compute_units, "compute_units must be 0..3");
    }
    aneprobe_status st = ANEPROBE_OK;
    char *text = read_compiled(compiled_path, err, &st);
    if (text == NULL) {
        return st;
    }
    st = faults("load", text, units_label(compute_units), err);
    if (st != ANEPROBE_OK) {
        free(text);
        return st;
    }
    aneprobe_model *m = calloc(1, sizeof *m);
    if (m == NULL) {
        free(text);
        return fail(err, ANEPROBE_INTERNAL_ERROR, "aneprobe", 0, "out of memory");
    }
    m->text = text;
    m->units = compute_units;
    *load_ms = directive_double(text, "load_ms", 3.25);
    *out = m;
    return ANEPROBE_OK;
}

void aneprobe_model_free(aneprobe_model *model) {
    if (model != NULL) {
        free(model->text);
        free(model);
    }
}

static void add_entry(aneprobe_plan *p, int64_t units, char *spec) {
    char *fields[5] = {NULL, NULL, NULL, NULL, NULL};
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(spec, "|", &save); tok != NULL && n < 5; tok = strtok_r(NULL, "|", &save)) {
        fields[n++] = tok;
    }
    if (n < 4 || p->count >= MAX_PLAN_ENTRIES) {
        return;
    }
    int64_t i = p->count++;
    p->names[i] = strdup(fields[0]);
    p->kinds[i] = strdup(fields[1]);
    uint32_t mask = 0;
    char *save2 = NULL;
    for (char *d = strtok_r(fields[3], ",", &save2); d != NULL; d = strtok_r(NULL, ",", &save2)) {
        int dev = device_of(d);
        if (dev != ANEPROBE_DEVICE_NONE && (dev != ANEPROBE_DEVICE_ANE || host_has_ane())) {
            mask |= 1u << dev;
        }
    }
    int preferred = device_of(fields[2]);
    if (preferred != ANEPROBE_DEVICE_NONE && !units_allow(units, preferred)) {
        preferred = (units_allow(units, ANEPROBE_DEVICE_GPU) && (mask & (1u << ANEPROBE_DEVICE_GPU)))
                ? ANEPROBE_DEVICE_GPU : ANEPROBE_DEVICE_CPU;
    }
    p->entries[i].name = p->names[i];
    p->entries[i].kind = p->kinds[i];
    p->entries[i].preferred = preferred;
    p->entries[i].supported_mask = mask;
    p->entries[i].cost = (n == 5 && strcmp(fields[4], "nan") != 0) ? strtod(fields[4], NULL) : NAN;
}

aneprobe_status aneprobe_plan_load(const char *compiled_path, int64_t compute_units, aneprobe_plan **out,
                                   double *plan_ms, aneprobe_error *err) {
    if (compiled_path == NULL || out == NULL || plan_ms == NULL) {
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "compiled_path, out and plan_ms are required");
    }
    if (compute_units < 0 || compute_units > 3) {
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", compute_units, "compute_units must be 0..3");
    }
    if (!os_at_least(14, 4)) {
        return fail(err, ANEPROBE_UNSUPPORTED, "aneprobe", 0, "MLComputePlan needs macOS 14.4 or later");
    }
    aneprobe_status st = ANEPROBE_OK;
    char *text = read_compiled(compiled_path, err, &st);
    if (text == NULL) {
        return st;
    }
    st = faults("plan", text, units_label(compute_units), err);
    if (st != ANEPROBE_OK) {
        free(text);
        return st;
    }
    aneprobe_plan *p = calloc(1, sizeof *p);
    if (p == NULL) {
        free(text);
        return fail(err, ANEPROBE_INTERNAL_ERROR, "aneprobe", 0, "out of memory");
    }
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "plan=", 5) == 0) {
            add_entry(p, compute_units, line + 5);
        }
    }
    if (p->count == 0) {
        char def[] = "probe|pooling|ane|cpu,gpu,ane|nan";
        add_entry(p, compute_units, def);
    }
    /* text was tokenised in place; the directive lookup below needs a fresh copy. */
    free(text);
    text = read_compiled(compiled_path, err, &st);
    *plan_ms = text != NULL ? directive_double(text, "plan_ms", 1.5) : 1.5;
    free(text);
    *out = p;
    return ANEPROBE_OK;
}

int64_t aneprobe_plan_count(const aneprobe_plan *plan) {
    return plan == NULL ? 0 : plan->count;
}

aneprobe_status aneprobe_plan_entry_get(const aneprobe_plan *plan, int64_t index, aneprobe_plan_entry *out,
                                        aneprobe_error *err) {
    if (plan == NULL || out == NULL) {
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "plan and out are required");
    }
    if (index < 0 || index >= plan->count) {
        char msg[128];
        snprintf(msg, sizeof msg, "index %lld out of range [0, %lld)", (long long)index, (long long)plan->count);
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", index, msg);
    }
    *out = plan->entries[index];
    return ANEPROBE_OK;
}

void aneprobe_plan_free(aneprobe_plan *plan) {
    if (plan != NULL) {
        for (int64_t i = 0; i < plan->count; i++) {
            free(plan->names[i]);
            free(plan->kinds[i]);
        }
        free(plan);
    }
}

aneprobe_status aneprobe_predict(aneprobe_model *model, int32_t warmup, int32_t iterations, int64_t *cold_ns,
                                 int64_t *samples_ns, aneprobe_error *err) {
    if (model == NULL || cold_ns == NULL || samples_ns == NULL || warmup < 0 || iterations < 1) {
        return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0,
                    "model, cold_ns and samples_ns are required; warmup >= 0, iterations >= 1");
    }
    if (!os_at_least(13, 0)) {
        return fail(err, ANEPROBE_UNSUPPORTED, "aneprobe", 0, "predicting needs macOS 13 or later");
    }
    aneprobe_status st = faults("predict", model->text, units_label(model->units), err);
    if (st != ANEPROBE_OK) {
        return st;
    }
    char key[32];
    snprintf(key, sizeof key, "latency.%s", units_label(model->units));
    double base = directive_double(model->text, key, 100000.0);
    long sleep = (long)directive_double(model->text, "sleep_ms", 0.0);
    /* A deterministic +-2% jitter from a fixed xorshift sequence. */
    uint64_t x = 0x9E3779B97F4A7C15ull;
    *cold_ns = (int64_t)(base * 20.0) + 12345;
    for (int32_t i = 0; i < warmup + iterations; i++) {
        if (sleep > 0) {
            sleep_ms(sleep);
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double jitter = ((double)(x % 2001) - 1000.0) / 1000.0 * 0.02;
        if (i >= warmup) {
            samples_ns[i - warmup] = (int64_t)(base * (1.0 + jitter));
        }
    }
    return ANEPROBE_OK;
}
