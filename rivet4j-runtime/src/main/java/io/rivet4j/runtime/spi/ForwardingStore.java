package io.rivet4j.runtime.spi;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** An {@link ActorStore} that forwards every call; extend it to wrap a store (metrics, faults). */
public abstract class ForwardingStore implements ActorStore {
  protected final ActorStore delegate;

  protected ForwardingStore(ActorStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<ActorRecord> findById(String actorId) {
    return delegate.findById(actorId);
  }

  @Override
  public Optional<ActorRecord> findByKey(String name, String key) {
    return delegate.findByKey(name, key);
  }

  @Override
  public Optional<byte[]> get(String actorId, byte[] key) {
    return delegate.get(actorId, key);
  }

  @Override
  public List<KvEntry> list(String actorId, byte[] start, byte[] end, int limit,
      boolean reverse) {
    return delegate.list(actorId, start, end, limit, reverse);
  }

  @Override
  public CompletableFuture<Void> commit(WriteBatch batch) {
    return delegate.commit(batch);
  }

  @Override
  public List<Alarm> alarms() {
    return delegate.alarms();
  }

  @Override
  public void forget(String actorId) {
    delegate.forget(actorId);
  }

  @Override
  public long actorCount() {
    return delegate.actorCount();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
