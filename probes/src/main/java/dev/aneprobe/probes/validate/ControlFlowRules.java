package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.MilTypes.describe;
import static dev.aneprobe.probes.validate.MilTypes.fits;
import static dev.aneprobe.probes.validate.MilTypes.isBoolScalar;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.validate.ProgramValidator.Bound;
import java.util.List;
import java.util.Map;

/**
 * The two ops with nested blocks, checked against their blocks (as coremltools' iOS15 control_flow.py defines them):
 *
 * <ul>
 *   <li>{@code cond}: a BOOL scalar {@code pred} and two blocks, the true and the false branch, which take no block
 *       inputs and each output as many values as the op has outputs, of the op's output types;</li>
 *   <li>{@code while_loop}: two blocks, the condition and the body, each taking one block input per binding of
 *       {@code loop_vars}, of that loop variable's type; the condition outputs one BOOL scalar; the body outputs the
 *       next value of every loop variable, of its type; the op outputs every loop variable's final value.</li>
 * </ul>
 *
 * Types are compared by {@link MilTypes#fits}: a block input or an output may leave a dimension unknown where a loop
 * variable's shape changes from one iteration to the next.
 */
final class ControlFlowRules {
    private ControlFlowRules() {
    }

    /** A nested block as walked: its inputs, its output names and their types (null where a name is unresolved). */
    record BlockView(List<NamedValueType> inputs, List<String> outputs, List<Bound> outputTypes) {
    }

    static boolean applies(String opType) {
        return opType.equals("cond") || opType.equals("while_loop");
    }

    static void check(Operation op, String label, Map<String, List<Bound>> inputs, List<BlockView> blocks,
            List<String> problems) {
        if (op.getType().equals("cond")) {
            cond(op, label, inputs, blocks, problems);
        } else if (op.getType().equals("while_loop")) {
            whileLoop(op, label, inputs, blocks, problems);
        }
    }

    private static void cond(Operation op, String label, Map<String, List<Bound>> inputs, List<BlockView> blocks,
            List<String> problems) {
        List<Bound> pred = inputs.get("pred");
        if (pred != null && pred.size() == 1) {
            var t = pred.get(0).type();
            // a non-BOOL pred is already reported against the op's signature
            if (t.hasTensorType() && t.getTensorType().getDataType() == DataType.BOOL && !isBoolScalar(t)) {
                problems.add(label + " input 'pred' must be a BOOL scalar, got " + describe(t));
            }
        }
        if (blocks.size() != 2) {
            problems.add(label + " has " + blocks.size() + " nested block" + (blocks.size() == 1 ? "" : "s")
                    + " (cond takes 2: the true and the false branch)");
            return;
        }
        for (int b = 0; b < 2; b++) {
            BlockView block = blocks.get(b);
            String which = b == 0 ? "true branch" : "false branch";
            if (!block.inputs().isEmpty()) {
                problems.add(label + " " + which + " has " + count(block.inputs().size(), "block input")
                        + " (a cond branch takes none)");
            }
            if (block.outputs().size() != op.getOutputsCount()) {
                problems.add(label + " " + which + " has " + count(block.outputs().size(), "output") + ", the op has "
                        + op.getOutputsCount() + " (they must match)");
                continue;
            }
            for (int i = 0; i < op.getOutputsCount(); i++) {
                Bound out = block.outputTypes().get(i);
                NamedValueType opOut = op.getOutputs(i);
                if (out != null && !fits(out.type(), opOut.getType())) {
                    problems.add(label + " " + which + " output " + i + " '" + out.name() + "' is "
                            + describe(out.type()) + ", the op's output " + i + " '" + opOut.getName() + "' is "
                            + describe(opOut.getType()));
                }
            }
        }
    }

    private static void whileLoop(Operation op, String label, Map<String, List<Bound>> inputs,
            List<BlockView> blocks, List<String> problems) {
        if (blocks.size() != 2) {
            problems.add(label + " has " + blocks.size() + " nested block" + (blocks.size() == 1 ? "" : "s")
                    + " (while_loop takes 2: the condition and the body)");
            return;
        }
        List<Bound> vars = inputs.get("loop_vars");
        BlockView condition = blocks.get(0);
        BlockView body = blocks.get(1);

        if (condition.outputs().size() != 1) {
            problems.add(label + " condition block has " + count(condition.outputs().size(), "output")
                    + " (it must output one BOOL scalar)");
        } else {
            Bound c = condition.outputTypes().get(0);
            if (c != null && !isBoolScalar(c.type())) {
                problems.add(label + " condition block output '" + c.name() + "' is " + describe(c.type())
                        + " (it must be a BOOL scalar)");
            }
        }
        if (vars == null) {
            return; // loop_vars missing or unresolved: already reported
        }
        int n = vars.size();
        blockInputs(label, "condition block", condition, vars, problems);
        boolean bodyInputsMatch = blockInputs(label, "body block", body, vars, problems);

        if (body.outputs().size() != n) {
            problems.add(label + " body block has " + count(body.outputs().size(), "output") + ", loop_vars has " + n
                    + " (one per loop variable)");
        } else {
            for (int i = 0; i < n; i++) {
                Bound out = body.outputTypes().get(i);
                var loopType = bodyInputsMatch ? body.inputs().get(i).getType() : vars.get(i).type();
                if (out != null && !fits(out.type(), loopType)) {
                    problems.add(label + " body block output " + i + " '" + out.name() + "' is " + describe(out.type())
                            + ", loop variable " + i + " is " + describe(loopType));
                }
            }
        }

        if (op.getOutputsCount() != n) {
            problems.add(label + " has " + count(op.getOutputsCount(), "output") + ", loop_vars has " + n
                    + " (one per loop variable)");
        } else {
            for (int i = 0; i < n; i++) {
                NamedValueType out = op.getOutputs(i);
                if (!fits(vars.get(i).type(), out.getType())) {
                    problems.add(label + " output " + i + " '" + out.getName() + "' is " + describe(out.getType())
                            + ", loop_vars " + i + " '" + vars.get(i).name() + "' is " + describe(vars.get(i).type()));
                }
            }
        }
    }

    /** Checks a while_loop block's inputs against loop_vars; returns whether they correspond one to one. */
    private static boolean blockInputs(String label, String which, BlockView block, List<Bound> vars,
            List<String> problems) {
        if (block.inputs().size() != vars.size()) {
            problems.add(label + " " + which + " has " + count(block.inputs().size(), "input") + ", loop_vars has "
                    + vars.size() + " (one block input per loop variable)");
            return false;
        }
        boolean ok = true;
        for (int i = 0; i < vars.size(); i++) {
            NamedValueType in = block.inputs().get(i);
            if (!fits(vars.get(i).type(), in.getType())) {
                problems.add(label + " " + which + " input " + i + " '" + in.getName() + "' is "
                        + describe(in.getType()) + ", loop_vars " + i + " '" + vars.get(i).name() + "' is "
                        + describe(vars.get(i).type()));
                ok = false;
            }
        }
        return ok;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
