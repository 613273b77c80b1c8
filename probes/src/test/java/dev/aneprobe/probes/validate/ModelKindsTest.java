package dev.aneprobe.probes.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.aneprobe.probes.coreml.Model;
import org.junit.jupiter.api.Test;

/** Model type names as the schema spells them, for every type, without asking the descriptors at run time. */
class ModelKindsTest {
    @Test
    void everyModelTypeIsNamedAsItsField() {
        for (FieldDescriptor f : Model.getDescriptor().getOneofs().get(0).getFields()) {
            Model.Builder b = Model.newBuilder();
            b.setField(f, b.newBuilderForField(f).build());
            assertEquals(f.getName(), ModelKinds.name(b.build()));
        }
        assertEquals("model with no type", ModelKinds.name(Model.getDefaultInstance()));
    }
}
