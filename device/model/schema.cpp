#include "kiln/model/schema.h"

#include <stdio.h>

namespace kiln::model {

namespace {
// Indexed by BuiltinOperator value (TFLite schema order).
const char* const kOpNames[] = {
    "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE",
    "DEQUANTIZE", "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP",
    "L2_NORMALIZATION", "L2_POOL_2D", "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC",
    "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU", "RELU_N1_TO_1", "RELU6", "RESHAPE",
    "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH", "CONCAT_EMBEDDINGS",
    "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD",
    "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND",
    "TRANSPOSE", "MEAN", "SUB", "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE",
    "BIDIRECTIONAL_SEQUENCE_RNN", "EXP", "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE",
    "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM", "ARG_MAX", "MINIMUM", "LESS",
    "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SLICE", "SIN",
    "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG",
    "SUM", "SQRT", "RSQRT", "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX",
    "PACK", "LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN",
    "FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD", "RANGE",
    "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS", "SPLIT_V",
    "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK", "ELU",
    "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH", "IF",
    "WHILE", "NON_MAX_SUPPRESSION_V4", "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2",
    "DENSIFY", "SEGMENT_SUM", "BATCH_MATMUL",
};
constexpr int32_t kOpNameCount = static_cast<int32_t>(sizeof(kOpNames) / sizeof(kOpNames[0]));
}  // namespace

const char* builtin_op_name(int32_t code, char* fallback, uint32_t fallback_size) {
  if (code >= 0 && code < kOpNameCount) return kOpNames[code];
  if (fallback == nullptr || fallback_size == 0) return "BUILTIN_?";
  snprintf(fallback, fallback_size, "BUILTIN_%ld", static_cast<long>(code));
  return fallback;
}

const char* tensor_type_name(TensorType t) {
  switch (t) {
    case TensorType::kFloat32: return "float32";
    case TensorType::kFloat16: return "float16";
    case TensorType::kInt32: return "int32";
    case TensorType::kUInt8: return "uint8";
    case TensorType::kInt64: return "int64";
    case TensorType::kString: return "string";
    case TensorType::kBool: return "bool";
    case TensorType::kInt16: return "int16";
    case TensorType::kComplex64: return "complex64";
    case TensorType::kInt8: return "int8";
    case TensorType::kFloat64: return "float64";
    case TensorType::kComplex128: return "complex128";
    case TensorType::kUInt64: return "uint64";
    case TensorType::kResource: return "resource";
    case TensorType::kVariant: return "variant";
    case TensorType::kUInt32: return "uint32";
    case TensorType::kUInt16: return "uint16";
    case TensorType::kInt4: return "int4";
  }
  return "unknown";
}

uint32_t tensor_type_size(TensorType t) {
  switch (t) {
    case TensorType::kInt8:
    case TensorType::kUInt8:
    case TensorType::kBool: return 1;
    case TensorType::kInt16:
    case TensorType::kUInt16:
    case TensorType::kFloat16: return 2;
    case TensorType::kFloat32:
    case TensorType::kInt32:
    case TensorType::kUInt32: return 4;
    case TensorType::kInt64:
    case TensorType::kUInt64:
    case TensorType::kFloat64:
    case TensorType::kComplex64: return 8;
    default: return 0;
  }
}

}  // namespace kiln::model
