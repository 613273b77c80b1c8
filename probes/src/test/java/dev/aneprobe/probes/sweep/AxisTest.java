package dev.aneprobe.probes.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an axis accepts: declared once on the axis, checked for every value, the family's own and the user's. */
class AxisTest {
    private static String problem(Axis axis, String values) {
        return assertThrows(IllegalArgumentException.class, () -> axis.parseValues(values)).getMessage();
    }

    @Test
    void wholeNumbersStayWithinTheirRangeInsteadOfOverflowing() {
        Axis kernel = Axis.pair("kernel", "3x3");
        assertEquals("'2147483648x2147483648' is out of range: kernel takes pairs HxW of whole numbers from 1 to "
                + "16,777,216", problem(kernel, "2147483648"));
        assertEquals("'99999999999999999999' is out of range (far too large)", problem(kernel, "99999999999999999999"));
        assertEquals(List.of("16777216x1"), kernel.parseValues("16777216x1"));
        Axis cout = Axis.integer("cout", 64);
        assertEquals("'0' is out of range: cout takes whole numbers from 1 to 16,777,216", problem(cout, "0"));
        assertEquals("'16777217' is out of range: cout takes whole numbers from 1 to 16,777,216",
                problem(cout, "16777217"));
        Axis axis = Axis.integer("axis", -1).range(-4, 3);
        assertEquals(List.of("-4", "3"), axis.parseValues("-4,3"));
        assertEquals("'4' is out of range: axis takes whole numbers from -4 to 3", problem(axis, "-4..4"));
    }

    @Test
    void shapesHaveTheRanksTheFamilyDeclaresAndABoundedSize() {
        Axis in = Axis.shape("in", "64x56x56").standard("4x8x8");
        assertEquals(Set.of(3), in.acceptedRanks());
        assertEquals("'56x56' has rank 2, but in takes shapes of rank 3 (like 64x56x56)", problem(in, "56x56"));
        assertEquals("'1x2x3x4x5' has rank 5, but in takes shapes of rank 3 (like 64x56x56)",
                problem(in, "1x2x3x4x5"));
        assertEquals("'64x4096x4096' is too large: a shape may have at most 16,777,216 elements",
                problem(in, "64x4096x4096"));
        assertEquals("'1x99999999999x99999999999' is too large: a shape may have at most 16,777,216 elements",
                problem(in, "1x99999999999x99999999999"));
        Axis mixed = Axis.shape("in", "1x64x56x56").standard("64x56x56", "1x2x64x56x56");
        assertEquals(Set.of(3, 4, 5), mixed.acceptedRanks());
        assertEquals("'8x8' has rank 2, but in takes shapes of rank 3, 4 or 5 (like 1x64x56x56)",
                problem(mixed, "8x8"));
        Axis declared = Axis.shape("in", "64x56x56").ranks(1, 3);
        assertEquals(List.of("512"), declared.parseValues("512"));
    }

    @Test
    void scalesArePositiveAndDecimalsBounded() {
        Axis scale = Axis.decimalPair("scale", "2x2");
        assertEquals("'0x0' is out of range: scale takes pairs HxW of positive numbers up to 16,777,216",
                problem(scale, "0"));
        assertEquals("'-1.5x-1.5' is out of range: scale takes pairs HxW of positive numbers up to 16,777,216",
                problem(scale, "-1.5"));
        assertEquals(List.of("2x3", "1.5x1.5"), scale.parseValues("2x3,1.5"));
        assertEquals("'1e999999999' is out of range (too many digits)", problem(scale, "1e999999999"));
        assertEquals("'1e-999999999' is out of range (too many digits)", problem(scale, "1e-999999999"));
        Axis alpha = Axis.decimal("alpha", "0.1");
        assertEquals(List.of("-6", "65504"), alpha.parseValues("-6,65504"));
        assertEquals("'NaN' is not a number", problem(alpha, "1,NaN"));
        assertEquals("'1000000000000000000000000000000000000000' is out of range: alpha takes numbers a float32 can "
                + "hold", problem(alpha, "1e39"));
    }

    @Test
    void aDeclarationOutsideItsOwnBoundsFailsWhenTheFamilyIsDeclared() {
        Axis negative = Axis.integer("axis", -1).standard("0", "1");
        IllegalStateException e = assertThrows(IllegalStateException.class, negative::checkDeclared);
        assertEquals("axis axis declares '-1' is out of range: axis takes whole numbers from 1 to 16,777,216",
                e.getMessage());
        negative.range(-4, 3).checkDeclared();
        assertTrue(negative.baseline("0").rangeMin() == -4, "a copy keeps the range");
    }
}
