package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;
import java.util.Map;

/**
 * ML Program image resizing beyond upsampling: resize to a target size (nearest, bilinear with its five sampling
 * modes, and the iOS17 resize), crop, crop_resize (RoI align), affine and resample (grid sample). Target sizes are
 * given as a scale of the input so the same scales apply to every input size, including output widths at and past
 * 16384.
 */
final class MilResizeFamilies {
    private MilResizeFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(resizeNearest(), resizeBilinear(), resize(), crop(), cropResize(), affine(), resample());
    }

    static final String[] SAMPLING_MODES = {"DEFAULT", "STRICT_ALIGN_CORNERS", "ALIGN_CORNERS", "UNALIGN_CORNERS",
        "OFFSET_CORNERS"};

    private static Axis scale() {
        return Axis.decimalPair("scale", "2x2")
                .standard("0.5x0.5", "1x1", "1.5x1.5", "3x3", "4x4", "8x8", "1x2", "2x1");
    }

    private static Axis resizeIn() {
        return Axis.shape("in", "1x64x28x28").standard("1x4x8x8", "1x8x4x8192", "1x8x4x8224");
    }

    private static long[] target(ProbeSpec s) {
        long[] in = s.shape("in");
        double[] f = s.decimalPair("scale");
        long h = Math.max(1, (long) Math.floor(in[2] * f[0]));
        long w = Math.max(1, (long) Math.floor(in[3] * f[1]));
        return new long[] {in[0], in[1], h, w};
    }

    static ProbeFamily resizeNearest() {
        return ProbeFamily.named("mil.resize_nearest_neighbor")
                .layers("resize_nearest_neighbor")
                .minSpec(6)
                .summary("ML Program resize_nearest_neighbor to a target size: scale per axis (down, up, "
                        + "fractional), size, dtype")
                .axis(dtype())
                .axis(scale())
                .axis(resizeIn())
                .grid(Profile.FULL, "dtype", "scale")
                .builds(s -> {
                    long[] in = s.shape("in");
                    long[] out = target(s);
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x",
                            "target_size_height", net.constInt("c_target_h", (int) out[2]),
                            "target_size_width", net.constInt("c_target_w", (int) out[3]));
                    return net.op("resize_nearest_neighbor", ins, "y", t, out).output("y");
                })
                .build();
    }

    static ProbeFamily resizeBilinear() {
        return ProbeFamily.named("mil.resize_bilinear")
                .layers("resize_bilinear")
                .minSpec(6)
                .summary("ML Program resize_bilinear to a target size: sampling mode, scale per axis, size, dtype")
                .axis(dtype())
                .axis(Axis.choice("sampling", SAMPLING_MODES).allChoices(Profile.STANDARD))
                .axis(scale())
                .axis(resizeIn())
                .grid(Profile.FULL, "sampling", "scale")
                .grid(Profile.FULL, "dtype", "sampling")
                .builds(s -> {
                    long[] in = s.shape("in");
                    long[] out = target(s);
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x",
                            "target_size_height", net.constInt("c_target_h", (int) out[2]),
                            "target_size_width", net.constInt("c_target_w", (int) out[3]),
                            "sampling_mode", net.constString("c_sampling_mode", s.text("sampling")));
                    return net.op("resize_bilinear", ins, "y", t, out).output("y");
                })
                .build();
    }

    /** iOS17 resize: the last two dimensions taken from a const shape. */
    static ProbeFamily resize() {
        return ProbeFamily.named("mil.resize")
                .layers("resize")
                .minSpec(8)
                .summary("ML Program resize (iOS17): interpolation mode, sampling mode, scale per axis, size, dtype")
                .axis(dtype())
                .axis(Axis.choice("interpolation", "LINEAR", "NEAREST_NEIGHBOR").allChoices(Profile.STANDARD))
                .axis(Axis.choice("sampling", SAMPLING_MODES).allChoices(Profile.STANDARD))
                .axis(scale())
                .axis(resizeIn())
                .grid(Profile.STANDARD, "interpolation", "sampling")
                .grid(Profile.FULL, "interpolation", "scale")
                .builds(s -> {
                    long[] in = s.shape("in");
                    long[] out = target(s);
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML7")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x",
                            "shape", net.constIntList("c_shape", (int) out[2], (int) out[3]),
                            "resized_dims", net.constInts("c_resized_dims", DataType.UINT32, new long[0],
                                    new int[] {2}),
                            "interpolation_mode", net.constString("c_interpolation_mode", s.text("interpolation")),
                            "sampling_mode", net.constString("c_sampling_mode", s.text("sampling")));
                    return net.op("resize", ins, "y", t, out).output("y");
                })
                .build();
    }

    /** crop: the same number of rows (columns) removed at the top and bottom (left and right). */
    static ProbeFamily crop() {
        return ProbeFamily.named("mil.crop")
                .layers("crop")
                .minSpec(6)
                .summary("ML Program crop: rows and columns removed per side, size, dtype")
                .axis(dtype())
                .axis(Axis.choice("crop", "1x1", "0x1", "1x0", "2x2", "4x4", "8x8", "3x5").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "crop", "in")
                .admissible("the crop leaves part of the input's height and width",
                        s -> 2L * cropOf(s)[0] < s.shape("in")[2] && 2L * cropOf(s)[1] < s.shape("in")[3])
                .builds(s -> {
                    long[] in = s.shape("in");
                    int[] c = cropOf(s);
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x",
                            "crop_height", net.constIntList("c_crop_height", c[0], c[0]),
                            "crop_width", net.constIntList("c_crop_width", c[1], c[1]));
                    return net.op("crop", ins, "y", t, in[0], in[1], in[2] - 2L * c[0], in[3] - 2L * c[1])
                            .output("y");
                })
                .build();
    }

    /** Rows x columns removed at each side (a choice axis: pairs must be positive, and 0 is worth asking). */
    private static int[] cropOf(ProbeSpec s) {
        String[] p = s.text("crop").split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }

    /**
     * crop_resize in its CoreML5 form (roi [N, 1, 4, 1, 1], output [N, B, C, h, w]); boxes are const normalized
     * corners spread over the image.
     */
    static ProbeFamily cropResize() {
        return ProbeFamily.named("mil.crop_resize")
                .layers("crop_resize")
                .minSpec(6)
                .summary("ML Program crop_resize (RoI align): target size, number of boxes, sampling mode, box "
                        + "coordinate mode, size, dtype")
                .axis(dtype())
                .axis(Axis.pair("target", "7x7").standard("1x1", "14x14", "28x28", "56x56"))
                .axis(Axis.integer("boxes", 4).standard("1", "32", "300"))
                .axis(Axis.choice("sampling", SAMPLING_MODES).allChoices(Profile.STANDARD))
                .axis(Axis.choice("box_mode", "CORNERS_HEIGHT_FIRST", "CORNERS_WIDTH_FIRST",
                        "CENTER_SIZE_HEIGHT_FIRST", "CENTER_SIZE_WIDTH_FIRST").allChoices(Profile.STANDARD))
                .axis(Axis.shape("in", "1x64x56x56").standard("1x4x8x8", "1x8x4x16384", "1x8x4x16448"))
                .grid(Profile.FULL, "target", "boxes")
                .grid(Profile.FULL, "dtype", "sampling")
                .builds(MilResizeFamilies::buildCropResize)
                .build();
    }

    private static MilNet buildCropResize(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] target = s.pair("target");
        int n = s.integer("boxes");
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        boolean center = s.text("box_mode").startsWith("CENTER");
        float[] roi = new float[n * 4];
        float[] r = w.floats(n * 4L, 0.5);
        for (int i = 0; i < n; i++) {
            float a0 = 0.25f + 0.5f * (r[4 * i] + 0.5f) * 0.5f;
            float a1 = 0.25f + 0.5f * (r[4 * i + 1] + 0.5f) * 0.5f;
            float e0 = 0.1f + 0.4f * (r[4 * i + 2] + 0.5f);
            float e1 = 0.1f + 0.4f * (r[4 * i + 3] + 0.5f);
            if (center) {
                roi[4 * i] = a0;
                roi[4 * i + 1] = a1;
                roi[4 * i + 2] = e0;
                roi[4 * i + 3] = e1;
            } else {
                roi[4 * i] = Math.max(0f, a0 - e0 / 2);
                roi[4 * i + 1] = Math.max(0f, a1 - e1 / 2);
                roi[4 * i + 2] = Math.min(1f, a0 + e0 / 2);
                roi[4 * i + 3] = Math.min(1f, a1 + e1 / 2);
            }
        }
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x",
                "roi", net.constFloats("c_roi", t, new long[] {n, 1, 4, 1, 1}, roi),
                "target_height", net.constInt("c_target_h", target[0]),
                "target_width", net.constInt("c_target_w", target[1]),
                "normalized_coordinates", net.constBool("c_normalized", true),
                "spatial_scale", net.constFloat("c_spatial_scale", DataType.FLOAT32, 1.0f),
                "box_coordinate_mode", net.constString("c_box_mode", s.text("box_mode")),
                "sampling_mode", net.constString("c_sampling_mode", s.text("sampling")));
        return net.op("crop_resize", ins, "y", t, n, in[0], in[1], target[0], target[1]).output("y");
    }

    /**
     * affine with the only parameter values coremltools implements (bilinear, constant zero padding, coordinates
     * in [-1, 1], align corners); the transform is a const small rotation with a shift, or a model input.
     */
    static ProbeFamily affine() {
        return ProbeFamily.named("mil.affine")
                .layers("affine")
                .minSpec(6)
                .summary("ML Program affine: const or dynamic transform, output size, input size, dtype")
                .axis(dtype())
                .axis(Axis.choice("transform", "const", "input").allChoices(Profile.STANDARD))
                .axis(Axis.decimalPair("scale", "1x1").standard("0.5x0.5", "2x2", "1x2"))
                .axis(Axis.shape("in", "1x64x56x56").standard("1x4x8x8", "1x8x4x8192", "1x8x4x16448", "4x64x56x56"))
                .grid(Profile.FULL, "dtype", "transform")
                .builds(MilResizeFamilies::buildAffine)
                .build();
    }

    private static MilNet buildAffine(ProbeSpec s) {
        long[] in = s.shape("in");
        double[] f = s.decimalPair("scale");
        long oh = Math.max(1, (long) Math.floor(in[2] * f[0]));
        long ow = Math.max(1, (long) Math.floor(in[3] * f[1]));
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        String matrix;
        if (s.text("transform").equals("input")) {
            net.input("x2", t, in[0], 6);
            matrix = "x2";
        } else {
            double a = Math.toRadians(10);
            matrix = net.constFloats("c_transform", t, new long[] {1, 6}, new float[] {(float) Math.cos(a),
                (float) -Math.sin(a), 0.05f, (float) Math.sin(a), (float) Math.cos(a), -0.05f});
        }
        Map<String, List<String>> ins = inputs("x", "x", "transform_matrix", matrix,
                "output_height", net.constInt("c_output_height", (int) oh),
                "output_width", net.constInt("c_output_width", (int) ow),
                "sampling_mode", net.constString("c_sampling_mode", "bilinear"),
                "padding_mode", net.constString("c_padding_mode", "constant"),
                "padding_value", net.constFloat("c_padding_value", t, 0.0f),
                "coordinates_mode", net.constString("c_coordinates_mode", "normalized_minus_one_to_one"),
                "align_corners", net.constBool("c_align_corners", true));
        return net.op("affine", ins, "y", t, in[0], in[1], oh, ow).output("y");
    }

    /** resample (grid sample): the sampling grid is a model input [B, H, W, 2] of the tensor's type. */
    static ProbeFamily resample() {
        return ProbeFamily.named("mil.resample")
                .layers("resample")
                .minSpec(6)
                .summary("ML Program resample (grid sample): sampling mode, padding mode, coordinates mode, align "
                        + "corners, size, dtype")
                .axis(dtype())
                .axis(Axis.choice("sampling", "bilinear", "nearest").allChoices(Profile.STANDARD))
                .axis(Axis.choice("padding", "constant", "border", "reflection", "symmetric")
                        .allChoices(Profile.STANDARD))
                .axis(Axis.choice("coordinates", "normalized_minus_one_to_one", "normalized_zero_to_one",
                        "unnormalized").allChoices(Profile.STANDARD))
                .axis(Axis.bool("align", true).standard("false"))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "sampling", "padding", "coordinates")
                .grid(Profile.FULL, "dtype", "sampling")
                .builds(MilResizeFamilies::buildResample)
                .build();
    }

    private static MilNet buildResample(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        // fp32 grids work from CoreML5; an fp16 grid needs CoreML6, which fp16 I/O needs anyway.
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in).input("x2", t, in[0], in[2], in[3], 2);
        Map<String, List<String>> ins = inputs("x", "x", "coordinates", "x2",
                "sampling_mode", net.constString("c_sampling_mode", s.text("sampling")),
                "padding_mode", net.constString("c_padding_mode", s.text("padding")),
                "padding_value", net.constFloat("c_padding_value", t, 0.0f),
                "coordinates_mode", net.constString("c_coordinates_mode", s.text("coordinates")),
                "align_corners", net.constBool("c_align_corners", s.bool("align")));
        return net.op("resample", ins, "y", t, in[0], in[1], in[2], in[3]).output("y");
    }
}
