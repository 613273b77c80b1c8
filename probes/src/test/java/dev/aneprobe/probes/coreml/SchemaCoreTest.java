package dev.aneprobe.probes.coreml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.TextFormat;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sanity checks of the hand-written Core ML schema (DataStructures, Parameters,
 * FeatureTypes, MIL, NeuralNetworkCommon, NeuralNetwork, Model).
 *
 */
class SchemaCoreTest {

  @Test
  void layerOneofHas158MembersInFormatRange() {
    Descriptor layer = NeuralNetworkLayer.getDescriptor();
    OneofDescriptor oneof = null;
    for (OneofDescriptor o : layer.getOneofs()) {
      if (o.getName().equals("layer")) {
        oneof = o;
      }
    }
    assertTrue(oneof != null, "NeuralNetworkLayer has no oneof named 'layer'");
    List<FieldDescriptor> fields = oneof.getFields();
    assertEquals(158, fields.size());

    Set<Integer> numbers = new HashSet<>();
    for (FieldDescriptor f : fields) {
      int n = f.getNumber();
      assertTrue(n >= 100 && n <= 1471, f.getName() + " has out-of-range number " + n);
      assertTrue(numbers.add(n), "duplicate field number " + n);
      assertEquals(FieldDescriptor.Type.MESSAGE, f.getType(), f.getName());
      String type = f.getMessageType().getName();
      if (f.getName().equals("activation")) {
        assertEquals("ActivationParams", type);
      } else {
        assertTrue(type.endsWith("LayerParams"), f.getName() + " -> " + type);
      }
    }
    assertEquals("convolution", layer.findFieldByNumber(100).getName());
    assertEquals("innerProduct", layer.findFieldByNumber(140).getName());
    assertEquals("NonMaximumSuppression", layer.findFieldByNumber(1400).getName());
    assertEquals("convolution3d", layer.findFieldByNumber(1471).getName());
    // The non-oneof fields of the wrapper.
    assertEquals("isUpdatable", layer.findFieldByNumber(10).getName());
    assertEquals("outputTensor", layer.findFieldByNumber(5).getName());
  }

  @Test
  void arrayDataTypeNumbersMatchMultiArrayEncoding() {
    assertEquals(65568, ArrayFeatureType.ArrayDataType.FLOAT32.getNumber());
    assertEquals(65552, ArrayFeatureType.ArrayDataType.FLOAT16.getNumber());
    assertEquals(131104, ArrayFeatureType.ArrayDataType.INT32.getNumber());
    assertEquals(65600, ArrayFeatureType.ArrayDataType.DOUBLE.getNumber());
    assertEquals(131080, ArrayFeatureType.ArrayDataType.INT8.getNumber());
    assertEquals(10, DataType.FLOAT16.getNumber());
    assertEquals(11, DataType.FLOAT32.getNumber());
    assertEquals(23, DataType.INT32.getNumber());
  }

  private static FeatureDescription array(String name, long... shape) {
    ArrayFeatureType.Builder t = ArrayFeatureType.newBuilder()
        .setDataType(ArrayFeatureType.ArrayDataType.FLOAT32);
    for (long d : shape) {
      t.addShape(d);
    }
    return FeatureDescription.newBuilder()
        .setName(name)
        .setType(FeatureType.newBuilder().setMultiArrayType(t))
        .build();
  }

  private static Model reluModel() {
    NeuralNetworkLayer relu = NeuralNetworkLayer.newBuilder()
        .setName("relu")
        .addInput("x")
        .addOutput("y")
        .setActivation(ActivationParams.newBuilder().setReLU(ActivationReLU.getDefaultInstance()))
        .build();
    return Model.newBuilder()
        .setSpecificationVersion(4)
        .setDescription(ModelDescription.newBuilder()
            .addInput(array("x", 1, 3, 8, 8))
            .addOutput(array("y", 1, 3, 8, 8))
            .setMetadata(Metadata.newBuilder().setAuthor("aneprobe").putUserDefined("probe", "relu")))
        .setNeuralNetwork(NeuralNetwork.newBuilder()
            .addLayers(relu)
            .setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING))
        .build();
  }

  @Test
  void modelRoundTripsThroughBytesAndTextFormat() throws Exception {
    Model model = reluModel();

    byte[] bytes = model.toByteArray();
    Model fromBytes = Model.parseFrom(bytes);
    assertEquals(model, fromBytes);
    assertEquals(Model.TypeCase.NEURALNETWORK, fromBytes.getTypeCase());
    assertEquals(
        ActivationParams.NonlinearityTypeCase.RELU,
        fromBytes.getNeuralNetwork().getLayers(0).getActivation().getNonlinearityTypeCase());

    String text = TextFormat.printer().printToString(model);
    assertTrue(text.contains("neuralNetwork {"), text);
    assertTrue(text.contains("EXACT_ARRAY_MAPPING"), text);
    Model.Builder parsed = Model.newBuilder();
    TextFormat.getParser().merge(text, parsed);
    assertEquals(model, parsed.build());
  }

  @Test
  void knownWireBytesForSmallModel() throws Exception {
    // specificationVersion = 4 is field 1 varint: tag 0x08, value 0x04.
    Model m = Model.newBuilder().setSpecificationVersion(4).build();
    assertArrayEquals(new byte[] {0x08, 0x04}, m.toByteArray());
    // neuralNetwork is field 500, length-delimited: tag (500 << 3 | 2) = 4002 = varint A2 1F.
    Model nn = Model.newBuilder().setNeuralNetwork(NeuralNetwork.getDefaultInstance()).build();
    assertArrayEquals(new byte[] {(byte) 0xA2, 0x1F, 0x00}, nn.toByteArray());
  }

  @Test
  void modelTypesNewerThanTheSchemaSurviveAsUnknownFields() throws Exception {
    // A model whose Type is a field number the format does not (yet) have.
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(buf);
    out.writeInt32(1, 5);
    out.writeBytes(4000, ByteString.copyFrom(new byte[] {0x08, 0x01}));
    out.flush();
    byte[] original = buf.toByteArray();

    Model parsed = Model.parseFrom(original);
    assertEquals(5, parsed.getSpecificationVersion());
    assertEquals(Model.TypeCase.TYPE_NOT_SET, parsed.getTypeCase());
    assertTrue(parsed.getUnknownFields().hasField(4000));
    assertArrayEquals(original, parsed.toByteArray());
  }

  @Test
  void mlProgramWithConstOpRoundTrips() throws Exception {
    ValueType scalarFp32 = ValueType.newBuilder()
        .setTensorType(TensorType.newBuilder()
            .setDataType(DataType.FLOAT32)
            .setRank(0))
        .build();
    Value val = Value.newBuilder()
        .setType(scalarFp32)
        .setImmediateValue(Value.ImmediateValue.newBuilder()
            .setTensor(TensorValue.newBuilder()
                .setFloats(TensorValue.RepeatedFloats.newBuilder()
                    .addValues(0.5f))))
        .build();
    Operation constOp = Operation.newBuilder()
        .setType("const")
        .putAttributes("val", val)
        .addOutputs(NamedValueType.newBuilder()
            .setName("alpha")
            .setType(scalarFp32))
        .build();
    Program program = Program.newBuilder()
        .setVersion(1)
        .putFunctions("main", Function.newBuilder()
            .setOpset("CoreML6")
            .putBlockSpecializations("CoreML6", Block.newBuilder()
                .addOperations(constOp)
                .addOutputs("alpha")
                .build())
            .build())
        .build();
    Model model = Model.newBuilder().setSpecificationVersion(7).setMlProgram(program).build();

    Model back = Model.parseFrom(model.toByteArray());
    assertEquals(model, back);
    assertEquals(Model.TypeCase.MLPROGRAM, back.getTypeCase());
    assertEquals(502, Model.getDescriptor().findFieldByName("mlProgram").getNumber());

    Model.Builder fromText = Model.newBuilder();
    TextFormat.getParser().merge(TextFormat.printer().printToString(model), fromText);
    assertEquals(model, fromText.build());
  }
}
