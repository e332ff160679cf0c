package io.rivet4j.runtime.spi;

class MemoryStoreContractTest extends ActorStoreContract {
  @Override
  protected ActorStore open() {
    return new MemoryStore();
  }
}
