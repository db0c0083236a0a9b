#include <medchain/store/blob_store.hpp>

namespace medchain::store {

Result<Hash32> BlobStore::put(ByteView content) {
  MEDCHAIN_TRY(BlobWriter writer, begin_write());
  MEDCHAIN_TRY_STATUS(writer.write(content));
  return writer.commit();
}

}  // namespace medchain::store
