package dev.aneprobe.probes.validate;

import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.Pipeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Core ML's pipeline rules (coremltools' {@code PipelineValidator.cpp}), for pipelines, pipeline classifiers and
 * pipeline regressors: at least one model; each model reads only pipeline inputs and outputs of earlier models, of
 * the same kind of feature; each model is valid by its own type's rules (checked recursively, so networks inside
 * pipelines inside pipelines are checked too); every pipeline output comes from the pipeline's inputs or a model;
 * only the last model of an updatable pipeline is updatable, and none of a fixed one; model names, when given, one
 * per model and distinct. A nested model's problems are prefixed with where it sits.
 */
final class PipelineValidator {
    private final ModelValidator models;

    PipelineValidator(ModelValidator models) {
        this.models = models;
    }

    ValidationResult validate(Model model) {
        List<String> problems = new ArrayList<>();
        InterfaceRules.model(model, problems);
        if (!problems.isEmpty()) {
            return new ValidationResult(problems);
        }
        Pipeline pipeline = ModelKinds.pipeline(model);
        List<Model> steps = pipeline.getModelsList();
        if (steps.isEmpty()) {
            problems.add("the pipeline holds no models");
            return new ValidationResult(problems);
        }
        if (pipeline.getNamesCount() > 0) {
            if (pipeline.getNamesCount() != steps.size()) {
                problems.add("the pipeline names " + pipeline.getNamesCount() + " models but holds " + steps.size());
                return new ValidationResult(problems);
            }
            Set<String> seen = new HashSet<>();
            for (String name : pipeline.getNamesList()) {
                if (!seen.add(name)) {
                    problems.add("the pipeline names two models '" + name + "'");
                    return new ValidationResult(problems);
                }
            }
        }
        ValidationResult result = ValidationResult.OK;
        Map<String, FeatureDescription> available = new HashMap<>();
        for (FeatureDescription f : model.getDescription().getInputList()) {
            available.put(f.getName(), f);
        }
        for (int i = 0; i < steps.size(); i++) {
            Model step = steps.get(i);
            String where = where(pipeline, i, step);
            for (FeatureDescription in : step.getDescription().getInputList()) {
                FeatureDescription known = available.get(in.getName());
                if (known == null) {
                    problems.add(where + " reads '" + in.getName() + "', which is neither a pipeline input nor "
                            + "the output of an earlier model");
                } else if (known.getType().getTypeCase() != in.getType().getTypeCase()) {
                    problems.add(where + " reads '" + in.getName() + "' as a "
                            + ModelKinds.featureKind(in.getType()) + " but it is a "
                            + ModelKinds.featureKind(known.getType()));
                }
            }
            if (!problems.isEmpty()) {
                return new ValidationResult(problems);
            }
            ValidationResult inner = models.validate(step);
            result = result.plus(prefixed(where, inner.problems()), prefixed(where, inner.warnings()),
                    inner.notChecked());
            if (!inner.valid()) {
                return result;
            }
            for (FeatureDescription out : step.getDescription().getOutputList()) {
                available.put(out.getName(), out);
            }
        }
        for (FeatureDescription out : model.getDescription().getOutputList()) {
            FeatureDescription known = available.get(out.getName());
            if (known == null) {
                problems.add("pipeline output '" + out.getName() + "' is neither a pipeline input nor the output "
                        + "of a model in it");
            } else if (known.getType().getTypeCase() != out.getType().getTypeCase()) {
                problems.add("pipeline output '" + out.getName() + "' is a " + ModelKinds.featureKind(out.getType())
                        + " but its model makes a " + ModelKinds.featureKind(known.getType()));
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            boolean last = i == steps.size() - 1;
            boolean updatable = steps.get(i).getIsUpdatable();
            if (model.getIsUpdatable() && last && !updatable) {
                problems.add("the pipeline is updatable but its last model is not");
            } else if (updatable && (!model.getIsUpdatable() || !last)) {
                problems.add(where(pipeline, i, steps.get(i)) + " is updatable, which only the last model of an "
                        + "updatable pipeline may be");
            }
        }
        return result.plus(problems, List.of(), List.of());
    }

    private static String where(Pipeline pipeline, int i, Model step) {
        String name = pipeline.getNamesCount() > i ? " '" + pipeline.getNames(i) + "'" : "";
        return "pipeline model " + (i + 1) + name + " (" + ModelKinds.name(step) + ")";
    }

    private static List<String> prefixed(String where, List<String> lines) {
        return lines.stream().map(l -> where + ": " + l).toList();
    }
}
