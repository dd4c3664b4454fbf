/**
 * Drawing the autograd graph: {@link dev.ember.autograd.graph.GraphExport} writes Graphviz DOT text like torchviz's
 * {@code make_dot}, {@link dev.ember.autograd.graph.DotOptions} holds its options (names, saved tensors), and
 * {@link dev.ember.autograd.graph.Graphviz} renders DOT to SVG, PNG or PDF through the {@code dot} program when it
 * is installed.
 *
 * <pre>{@code
 * Tensor w = Ember.tensor(1.0, 2.0).requiresGrad_().setName("w");
 * Tensor b = Ember.tensor(0.5).requiresGrad_().setName("b");
 * Tensor loss = w.mul(Ember.tensor(3.0, 4.0)).add(b).sum();
 * System.out.println(GraphExport.toDot(loss));
 * if (Graphviz.find().isAvailable()) {
 *     GraphExport.render(loss, DotOptions.defaults().withShowSaved(true), Path.of("loss.svg"));
 * }
 * }</pre>
 */
package dev.ember.autograd.graph;
