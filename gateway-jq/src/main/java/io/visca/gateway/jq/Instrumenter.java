package io.visca.gateway.jq;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;
import net.thisptr.jackson.jq.internal.operators.MultiplyOperator;
import net.thisptr.jackson.jq.internal.tree.FormattingFilter;
import net.thisptr.jackson.jq.internal.tree.FunctionCall;
import net.thisptr.jackson.jq.internal.tree.StringInterpolation;

/**
 * Puts a {@link Guard} around every expression node of a compiled jackson-jq program, user-defined function bodies
 * included, and a {@link GuardedMultiply} in place of {@code *}. jackson-jq has no hook for bounding an evaluation
 * (its 1.x line has no step or output limits), so the tree is rewritten once after compiling: the fields of its
 * nodes that hold an expression are set, by reflection, to the guarded node. Built-in functions stay as they are:
 * every value they produce goes through the guarded call that invoked them, and the jq-defined ones ({@code while},
 * {@code until}, {@code repeat}, {@code limit}...) loop through guarded arguments or recurse until the stack runs out.
 */
final class Instrumenter {

    private static final String LIBRARY = "net.thisptr.jackson.jq.";
    /** Built-ins that build their whole result from their input in one go. */
    private static final Set<String> SERIALIZERS = Set.of("tostring", "tojson", "join", "add", "flatten",
            "implode", "ascii_downcase", "ascii_upcase", "@text", "@json", "@base64", "@base32", "@csv", "@tsv",
            "@html", "@uri", "@sh");

    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private Instrumenter() {
    }

    /** Rewrites {@code root} (a compiled {@code JsonQuery}) in place. */
    static void instrument(Object root) {
        new Instrumenter().visit(root);
    }

    private void visit(Object node) {
        if (node == null || !seen.add(node)) {
            return;
        }
        for (Class<?> type = node.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                rewriteField(node, field);
            }
        }
        if (node instanceof FunctionCall call) {
            String name = (String) read(call, FunctionCall.class, "name");
            List<?> args = (List<?>) read(call, FunctionCall.class, "args");
            if ("setpath".equals(name) && args != null && !args.isEmpty() && args.get(0) instanceof Guard path) {
                path.mode(Guard.Mode.PATH_ARRAY);
            }
        } else if (node instanceof StringInterpolation) {
            List<?> parts = (List<?>) read(node, StringInterpolation.class, "interpolations");
            for (Object part : parts == null ? List.of() : parts) {
                Object expression = read(part, part.getClass(), "_2");
                if (expression instanceof Guard guard) {
                    guard.mode(Guard.Mode.SERIALIZES_OUTPUT);
                }
            }
        }
    }

    private void rewriteField(Object owner, Field field) {
        try {
            field.setAccessible(true);
            Object value = field.get(owner);
            Object rewritten = rewrite(value, field.getType());
            if (rewritten != value) {
                field.set(owner, rewritten);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot bound this jq program: jackson-jq's tree changed ("
                    + owner.getClass().getName() + "." + field.getName() + ")", e);
        }
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private Object rewrite(Object value, Class<?> declared) {
        if (value == null || value instanceof Guard || value instanceof GuardedMultiply) {
            return value;
        }
        if (value instanceof Expression expression && library(value)) {
            visit(expression);
            Guard guard = new Guard(expression);
            if (value instanceof FormattingFilter || value instanceof FunctionCall call && serializer(call)) {
                guard.mode(Guard.Mode.SERIALIZES_INPUT);
            }
            return declared.isInstance(guard) ? guard : value;
        }
        if (value instanceof MultiplyOperator multiply && declared.isAssignableFrom(GuardedMultiply.class)) {
            return new GuardedMultiply((BinaryOperator) multiply);
        }
        if (value instanceof List list) {
            List out = list;
            for (int i = 0; i < list.size(); i++) {
                Object element = list.get(i);
                Object rewritten = rewrite(element, Object.class);
                if (rewritten != element) {
                    try {
                        out.set(i, rewritten);
                    } catch (UnsupportedOperationException e) {
                        out = new ArrayList<>(out); // an immutable list: the field gets a copy
                        out.set(i, rewritten);
                    }
                }
            }
            return declared.isInstance(out) ? out : value;
        }
        if (library(value)) {
            visit(value);
        }
        return value;
    }

    private static boolean serializer(FunctionCall call) {
        return SERIALIZERS.contains((String) read(call, FunctionCall.class, "name"));
    }

    private static boolean library(Object value) {
        return value.getClass().getName().startsWith(LIBRARY)
                && !(value instanceof net.thisptr.jackson.jq.Scope)
                && !(value instanceof net.thisptr.jackson.jq.Version);
    }

    private static Object read(Object owner, Class<?> type, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot bound this jq program: jackson-jq's tree changed (" + type.getName()
                    + "." + name + ")", e);
        }
    }
}
