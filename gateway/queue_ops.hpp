// gateway/queue_ops.hpp: the operator's queue changes (hold, release,
// retry, delete), in the manner of Postfix's postsuper. Run by the daemon
// when it receives them on its control socket, or by the CLI itself when
// no daemon owns the queue; either way each change is appended to the
// entry's control file and fsync'd before it is reported done.
#pragma once

#include <optional>
#include <string>

#include "gateway/queue/index.hpp"
#include "gateway/queue/store.hpp"

namespace mixer::gateway {

enum class QueueOp { hold, release, retry, remove };

std::optional<QueueOp> parse_queue_op(std::string_view word);
const char* queue_op_name(QueueOp op);

struct OpResult {
  bool ok = false;
  std::string message;  // "0JA1B2C3D4E: placed on hold" or why not
};

// `index` may be null (CLI without a daemon).
OpResult apply_queue_op(queue::Store& store, queue::QueueIndex* index, QueueOp op, const std::string& id);

}  // namespace mixer::gateway
