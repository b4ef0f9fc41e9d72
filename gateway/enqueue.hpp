// gateway/enqueue.hpp: the one path into the queue. Both listeners (SMTP
// after DATA, P1 per transferred MTS-APDU) and `mixer p1-submit` end here:
// a Draft whose content is written, the submit stage's converted forms and
// recipient states, the control file, then the group commit. `done` runs
// once the entry is durable, or with the reason it is not (its files are
// then removed, so nothing unacknowledged is ever delivered). Trusts the
// caller for the control file's contents; checks nothing else.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "gateway/intake.hpp"
#include "gateway/submit.hpp"

namespace mixer::gateway {

// `error` empty: durable, and in the index. Called on the committer's
// thread, or on the caller's when the entry could not even be written.
using EnqueueDone = std::function<void(const queue::ControlFile& entry, const std::string& error)>;

// Called once the entry's content and forms are written, before its control
// part makes it complete (Draft::finish) and before the group commit, so that
// what it records (the transfer journal's T) is on file before the entry can
// be recovered; returns one more descriptor to make durable in the same batch
// (the transfer journal's), closed after, or -1. `want_fd` is
// false when the commit syncs the whole file system (syncfs), which makes
// every file written before it durable: no descriptor is needed then.
using BeforeCommit = std::function<int(const queue::ControlFile& entry, bool want_fd)>;

// `submitted` may be null (nothing converted); `before_commit` may be empty.
void enqueue(QueueParts queue, std::unique_ptr<queue::Draft> draft, queue::ControlFile control,
             Submission* submitted, BeforeCommit before_commit, EnqueueDone done);

}  // namespace mixer::gateway
