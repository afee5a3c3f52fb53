/**
 * Tsunagu's benchmark harness. {@link io.tsunagu.bench.JmhMain} runs the JMH micro-benchmarks of {@code
 * io.tsunagu.bench.micro} from the module's class path and prints their figures, ratios against baselines measured in
 * the same run, and the history's bytes per stored sample. Figures are printed, never asserted.
 */
@NullMarked
package io.tsunagu.bench;

import org.jspecify.annotations.NullMarked;
