package io.rivet4j.runtime.spi;

import java.util.Objects;

/** One change in a {@link WriteBatch}. */
public sealed interface WriteOp {
  String actorId();

  /** Inserts a directory entry; the batch fails with {@link DuplicateKeyException} if the name+key is taken. */
  record CreateActor(ActorRecord actor) implements WriteOp {
    public CreateActor {
      Objects.requireNonNull(actor, "actor");
    }

    @Override
    public String actorId() {
      return actor.actorId();
    }
  }

  /** Sets {@code key} to {@code value} in the actor's KV space. */
  record Put(String actorId, byte[] key, byte[] value) implements WriteOp {
    public Put {
      Objects.requireNonNull(actorId, "actorId");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Removes {@code key} from the actor's KV space (no-op when absent). */
  record Delete(String actorId, byte[] key) implements WriteOp {
    public Delete {
      Objects.requireNonNull(actorId, "actorId");
      Objects.requireNonNull(key, "key");
    }
  }

  /** Removes every key in [{@code start}, {@code end}) (unsigned byte order). */
  record DeleteRange(String actorId, byte[] start, byte[] end) implements WriteOp {
    public DeleteRange {
      Objects.requireNonNull(actorId, "actorId");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
    }
  }

  /** Sets ({@code wakeAtMillis} ≥ 0) or clears ({@code -1}) the actor's alarm. */
  record SetAlarm(String actorId, long wakeAtMillis) implements WriteOp {
    public SetAlarm {
      Objects.requireNonNull(actorId, "actorId");
    }
  }

  /** Deletes the directory entry, every KV entry and the alarm; the name+key is free again. */
  record DestroyActor(String actorId) implements WriteOp {
    public DestroyActor {
      Objects.requireNonNull(actorId, "actorId");
    }
  }
}
