package dev.aneprobe.harness.bridge;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * JNA mirror of {@code native/include/aneprobe.h}: the same names, the same order, the same layouts. Change both
 * together. Java code uses {@link Shim}, never this interface directly.
 */
public interface AneprobeLibrary extends Library {

    /** ANEPROBE_ABI_VERSION this mirror was written against. */
    int ABI_VERSION = 1;

    int ERROR_DOMAIN_LEN = 128;
    int ERROR_DESCRIPTION_LEN = 1024;
    int HOST_CHIP_LEN = 128;
    int HOST_MODEL_LEN = 64;
    int HOST_OS_LEN = 32;
    int MAX_DEVICES = 16;

    // aneprobe_status
    int ANEPROBE_OK = 0;
    int ANEPROBE_COREML_ERROR = 1;
    int ANEPROBE_UNSUPPORTED = 2;
    int ANEPROBE_INVALID_ARGUMENT = 3;
    int ANEPROBE_IO_ERROR = 4;
    int ANEPROBE_UNSUPPORTED_MODEL = 5;
    int ANEPROBE_INTERNAL_ERROR = 6;

    // aneprobe_device
    int ANEPROBE_DEVICE_NONE = 0;
    int ANEPROBE_DEVICE_CPU = 1;
    int ANEPROBE_DEVICE_GPU = 2;
    int ANEPROBE_DEVICE_ANE = 3;
    int ANEPROBE_DEVICE_OTHER = 4;

    /** {@code aneprobe_error}. */
    @Structure.FieldOrder({"domain", "code", "description"})
    final class AneprobeError extends Structure {
        public byte[] domain = new byte[ERROR_DOMAIN_LEN];
        public long code;
        public byte[] description = new byte[ERROR_DESCRIPTION_LEN];
    }

    /** {@code aneprobe_host}. */
    @Structure.FieldOrder({"chip", "machine_model", "os_version", "os_build", "os_major", "os_minor", "os_patch",
            "has_neural_engine", "neural_engine_cores", "devices_inferred", "device_count", "devices"})
    final class AneprobeHost extends Structure {
        public byte[] chip = new byte[HOST_CHIP_LEN];
        public byte[] machine_model = new byte[HOST_MODEL_LEN];
        public byte[] os_version = new byte[HOST_OS_LEN];
        public byte[] os_build = new byte[HOST_OS_LEN];
        public int os_major;
        public int os_minor;
        public int os_patch;
        public int has_neural_engine;
        public int neural_engine_cores;
        public int devices_inferred;
        public int device_count;
        public int[] devices = new int[MAX_DEVICES];
    }

    /** {@code aneprobe_plan_entry}; its strings belong to the plan handle. */
    @Structure.FieldOrder({"name", "kind", "preferred", "supported_mask", "cost"})
    final class AneprobePlanEntry extends Structure {
        public String name;
        public String kind;
        public int preferred;
        public int supported_mask;
        public double cost;
    }

    int aneprobe_abi_version();

    int aneprobe_host_info(AneprobeHost out, AneprobeError err);

    int aneprobe_compile(String modelPath, String destPath, DoubleByReference compileMs, AneprobeError err);

    int aneprobe_load(String compiledPath, long computeUnits, PointerByReference out, DoubleByReference loadMs,
            AneprobeError err);

    void aneprobe_model_free(Pointer model);

    int aneprobe_plan_load(String compiledPath, long computeUnits, PointerByReference out, DoubleByReference planMs,
            AneprobeError err);

    long aneprobe_plan_count(Pointer plan);

    int aneprobe_plan_entry_get(Pointer plan, long index, AneprobePlanEntry out, AneprobeError err);

    void aneprobe_plan_free(Pointer plan);

    int aneprobe_predict(Pointer model, int warmup, int iterations, long[] coldNs, long[] samplesNs,
            AneprobeError err);
}
