package io.rivet4j.runtime.spi;

import java.util.List;

/** Changes applied atomically (all or none), in order. */
public record WriteBatch(List<WriteOp> ops) {
  public WriteBatch {
    ops = List.copyOf(ops);
  }

  public static WriteBatch of(WriteOp... ops) {
    return new WriteBatch(List.of(ops));
  }
}
