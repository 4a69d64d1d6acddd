// The Arrow C Data Interface and C Stream Interface: the ABI structs by which
// Arrow implementations (pyarrow, Polars, DuckDB, Spark's Python workers,
// arrow-java, Arrow for C#) hand columns to each other without a copy and
// without linking each other.
//
// Written from the specification, which fixes these layouts as a stable ABI
// and asks every implementation to declare them under the guard macros below,
// so that two declarations in one program agree:
// https://arrow.apache.org/docs/format/CDataInterface.html and
// https://arrow.apache.org/docs/format/CStreamInterface.html
//
// gdprkit reads and writes them in src/common/arrow.h (text) and
// src/common/arrow_dates.h (dates); it links no Arrow library.
#ifndef GDPRKIT_SRC_COMMON_ARROW_C_DATA_H_
#define GDPRKIT_SRC_COMMON_ARROW_C_DATA_H_

#include <stdint.h>  // NOLINT(modernize-deprecated-headers): a C ABI

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

// The type of an array: `format` is a short string ("u" utf8, "U" large
// utf8, "vu" utf8 view, "tdD" date32, "tsu:Europe/Copenhagen" timestamp in
// microseconds with a zone, ...); children for nested types; `dictionary`
// for dictionary-encoded arrays (whose own format is the index type).
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  // Frees what the producer allocated; NULL once released.
  void (*release)(struct ArrowSchema*);
  void* private_data;
};

// The data of an array: `length` slots from logical position `offset` of the
// buffers (validity bitmap first, then the type's buffers).
struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

// A sequence of arrays of one schema (a ChunkedArray's chunks, a table's
// record batches as struct arrays). get_next gives an array whose release
// is NULL at the end. The callbacks return 0 or an errno value.
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};

#endif  // ARROW_C_STREAM_INTERFACE

#ifdef __cplusplus
}
#endif

#endif  // GDPRKIT_SRC_COMMON_ARROW_C_DATA_H_
