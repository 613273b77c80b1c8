package dev.aneprobe.probes.coreml;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The facts of a protobuf schema that decide its wire format and its names, one sorted line
 * each: every message, every field (number, label, type, message or enum type, packing, oneof)
 * and every enum value. File boundaries, comments, ordering and options that do not change the
 * wire (java_package, optimize_for) are left out, so two schemas laid out differently but
 * describing the same format give the same lines.
 *
 * <p>Run as a program on a {@code protoc --include_imports --descriptor_set_out} file to list the
 * facts of any schema — that is how {@code format-facts.txt} is made from Core ML's format (see
 * {@code tools/format-facts.sh}).
 */
public final class FormatFacts {

  private FormatFacts() {}

  /** The sorted fact lines of the given files (their dependencies are not followed). */
  public static List<String> of(Collection<FileDescriptor> files) {
    TreeSet<String> facts = new TreeSet<>();
    for (FileDescriptor file : files) {
      for (Descriptor message : file.getMessageTypes()) {
        addMessage(message, facts);
      }
      for (EnumDescriptor e : file.getEnumTypes()) {
        addEnum(e, facts);
      }
    }
    return new ArrayList<>(facts);
  }

  /** The given files and everything they import, each once. */
  public static Collection<FileDescriptor> withDependencies(FileDescriptor... roots) {
    Map<String, FileDescriptor> seen = new LinkedHashMap<>();
    List<FileDescriptor> todo = new ArrayList<>(List.of(roots));
    while (!todo.isEmpty()) {
      FileDescriptor f = todo.remove(todo.size() - 1);
      if (seen.putIfAbsent(f.getName(), f) == null) {
        todo.addAll(f.getDependencies());
      }
    }
    return seen.values();
  }

  private static void addMessage(Descriptor message, TreeSet<String> facts) {
    facts.add("message " + message.getFullName());
    for (FieldDescriptor field : message.getFields()) {
      StringBuilder line = new StringBuilder("field ")
          .append(field.getFullName()).append(" = ").append(field.getNumber())
          .append(' ').append(field.isRepeated() ? "repeated" : "singular")
          .append(' ').append(field.getType().name().toLowerCase());
      if (field.getType() == FieldDescriptor.Type.MESSAGE
          || field.getType() == FieldDescriptor.Type.GROUP) {
        line.append(' ').append(field.getMessageType().getFullName());
      } else if (field.getType() == FieldDescriptor.Type.ENUM) {
        line.append(' ').append(field.getEnumType().getFullName());
      }
      if (field.isPacked()) {
        line.append(" packed");
      }
      if (field.getRealContainingOneof() != null) {
        line.append(" oneof ").append(field.getRealContainingOneof().getName());
      }
      facts.add(line.toString());
    }
    for (Descriptor nested : message.getNestedTypes()) {
      addMessage(nested, facts);
    }
    for (EnumDescriptor e : message.getEnumTypes()) {
      addEnum(e, facts);
    }
  }

  private static void addEnum(EnumDescriptor e, TreeSet<String> facts) {
    facts.add("enum " + e.getFullName());
    for (EnumValueDescriptor v : e.getValues()) {
      facts.add("value " + e.getFullName() + "." + v.getName() + " = " + v.getNumber());
    }
  }

  /** Builds the files of a descriptor set, each after the files it imports. */
  public static List<FileDescriptor> load(FileDescriptorSet set)
      throws DescriptorValidationException {
    Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
    for (FileDescriptorProto p : set.getFileList()) {
      byName.put(p.getName(), p);
    }
    Map<String, FileDescriptor> built = new LinkedHashMap<>();
    for (String name : byName.keySet()) {
      build(name, byName, built);
    }
    return new ArrayList<>(built.values());
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> byName,
      Map<String, FileDescriptor> built) throws DescriptorValidationException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = byName.get(name);
    if (proto == null) {
      throw new IllegalArgumentException("descriptor set lacks imported file " + name);
    }
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, byName, built));
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
    built.put(name, file);
    return file;
  }

  /** Reads the facts of a {@code protoc --include_imports --descriptor_set_out} file. */
  public static List<String> ofDescriptorSet(Path descriptorSet)
      throws IOException, DescriptorValidationException {
    try (InputStream in = Files.newInputStream(descriptorSet)) {
      return of(load(FileDescriptorSet.parseFrom(in)));
    }
  }

  /** {@code FormatFacts DESCRIPTOR_SET}: prints the schema's facts, one a line. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: FormatFacts DESCRIPTOR_SET");
      System.exit(2);
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    for (String line : ofDescriptorSet(Path.of(args[0]))) {
      out.println(line);
    }
    out.flush();
  }
}
