package dev.aneprobe.probes.mlpackage;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.generate.ProbeGenerator;

/**
 * Hand-made ML Programs for the package tests: {@code y = add(x, w)} with x a FLOAT16 [2, 8] input and w a const
 * whose value lives in a weight file at a given offset with a given declared type and shape.
 */
final class MilFixtures {
    private MilFixtures() {
    }

    static ValueType tensor(DataType type, long... shape) {
        TensorType.Builder t = TensorType.newBuilder().setDataType(type).setRank(shape.length);
        for (long d : shape) {
            t.addDimensions(Dimension.newBuilder().setConstant(Dimension.ConstantDimension.newBuilder().setSize(d)));
        }
        return ValueType.newBuilder().setTensorType(t).build();
    }

    static Value string(String s) {
        return Value.newBuilder()
                .setType(tensor(DataType.STRING))
                .setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(TensorValue.newBuilder()
                        .setStrings(TensorValue.RepeatedStrings.newBuilder().addValues(s))))
                .build();
    }

    static Value blob(String file, long offset, ValueType type) {
        return Value.newBuilder()
                .setType(type)
                .setBlobFileValue(Value.BlobFileValue.newBuilder().setFileName(file).setOffset(offset))
                .build();
    }

    static Operation constOp(String name, Value val) {
        return Operation.newBuilder()
                .setType("const")
                .putAttributes("name", string(name))
                .putAttributes("val", val)
                .addOutputs(NamedValueType.newBuilder().setName(name).setType(val.getType()))
                .build();
    }

    static Argument ref(String name) {
        return Argument.newBuilder().addArguments(Argument.Binding.newBuilder().setName(name)).build();
    }

    /** The program: const w (from the blob), then y = add(x, w). */
    static Program program(Value w) {
        ValueType xType = tensor(DataType.FLOAT16, 2, 8);
        Operation add = Operation.newBuilder()
                .setType("add")
                .putInputs("x", ref("x"))
                .putInputs("y", ref("w"))
                .putAttributes("name", string("y"))
                .addOutputs(NamedValueType.newBuilder().setName("y").setType(xType))
                .build();
        Block block = Block.newBuilder().addOutputs("y").addOperations(constOp("w", w)).addOperations(add).build();
        Function main = Function.newBuilder()
                .addInputs(NamedValueType.newBuilder().setName("x").setType(xType))
                .setOpset("CoreML6")
                .putBlockSpecializations("CoreML6", block)
                .build();
        return Program.newBuilder().setVersion(1).putFunctions("main", main).build();
    }

    static Model model(Program program) {
        return Model.newBuilder()
                .setSpecificationVersion(7)
                .setDescription(ModelDescription.newBuilder()
                        .addInput(feature("x", 2, 8))
                        .addOutput(feature("y", 2, 8)))
                .setMlProgram(program)
                .build();
    }

    private static FeatureDescription feature(String name, long... shape) {
        ArrayFeatureType.Builder t = ArrayFeatureType.newBuilder().setDataType(ArrayFeatureType.ArrayDataType.FLOAT16);
        for (long d : shape) {
            t.addShape(d);
        }
        return FeatureDescription.newBuilder().setName(name).setType(FeatureType.newBuilder().setMultiArrayType(t))
                .build();
    }

    /** 16 FLOAT16 elements (values 0..15 as raw halves), the w of {@link #program} at metadata offset 64. */
    static byte[] weightBin() {
        WeightBlobWriter w = new WeightBlobWriter();
        byte[] data = new byte[32];
        for (int i = 0; i < 16; i++) {
            data[2 * i] = (byte) i;
        }
        w.add(BlobDataType.FLOAT16, data);
        return w.toBytes();
    }

    /** The well-formed model: w is FLOAT16 [2, 8] at offset 64 of the standard weight file. */
    static Model goodModel() {
        return model(program(blob(MlPackageWriter.WEIGHT_FILE_REFERENCE, 64, tensor(DataType.FLOAT16, 2, 8))));
    }

    static byte[] bytes(Model m) {
        return ProbeGenerator.serialize(m);
    }
}
