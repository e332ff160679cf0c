package io.rivet4j.runtime.store;

import io.rivet4j.runtime.spi.ActorStore;
import io.rivet4j.runtime.spi.ActorStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreContractTest extends ActorStoreContract {
  @TempDir Path directory;

  @Override
  protected ActorStore open() {
    return EmbeddedStore.open(directory);
  }

  @Override
  protected boolean persistent() {
    return true;
  }
}
