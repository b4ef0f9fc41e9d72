// gateway/queue_ops.cpp: hold, release, retry, delete (see queue_ops.hpp).
#include "gateway/queue_ops.hpp"

#include <ctime>

#include "gateway/log.hpp"
#include "gateway/queue/format/queue_id.hpp"

namespace mixer::gateway {

std::optional<QueueOp> parse_queue_op(std::string_view w) {
  if (w == "hold") return QueueOp::hold;
  if (w == "release") return QueueOp::release;
  if (w == "retry") return QueueOp::retry;
  if (w == "delete") return QueueOp::remove;
  return std::nullopt;
}

const char* queue_op_name(QueueOp op) {
  switch (op) {
    case QueueOp::hold: return "hold";
    case QueueOp::release: return "release";
    case QueueOp::retry: return "retry";
    case QueueOp::remove: return "delete";
  }
  return "?";
}

OpResult apply_queue_op(queue::Store& store, queue::QueueIndex* index, QueueOp op, const std::string& id) {
  if (!queue::is_queue_id(id)) return {false, "'" + id + "' is not a queue ID"};
  std::string why;
  auto entry = store.read(id, &why);
  if (!entry) return {false, id + ": " + why};
  queue::Record r;
  r.time = static_cast<std::int64_t>(::time(nullptr));
  std::string done;
  switch (op) {
    case QueueOp::hold:
      if (entry->held) return {true, id + ": already on hold"};
      r.kind = queue::Record::Kind::hold;
      done = "placed on hold";
      break;
    case QueueOp::release:
      if (!entry->held) return {true, id + ": not on hold"};
      r.kind = queue::Record::Kind::release;
      done = "released from hold";
      break;
    case QueueOp::retry:
      r.kind = queue::Record::Kind::retry;
      done = "scheduled for immediate retry";
      break;
    case QueueOp::remove:
      if (auto ec = store.remove(id)) return {false, id + ": cannot remove: " + ec.message()};
      if (index) index->erase(id);
      log_info("queue", id + ": removed");
      return {true, id + ": removed"};
  }
  // Off the queue manager's strand: touched until it has taken the change in (Qmgr::hold, retry).
  if (auto ec = store.append(id, r, true, queue::Touch::until_released)) return {false, id + ": cannot update control file: " + ec.message()};
  if (index && op != QueueOp::retry) index->set_held(id, op == QueueOp::hold);
  log_info("queue", id + ": " + done);
  return {true, id + ": " + done};
}

}  // namespace mixer::gateway
