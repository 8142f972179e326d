// TFLite schema (version 3) facts the reader needs: enum values and the
// field slots of each table. Values are TFLite's wire format, fixed forever.
#pragma once
#include <stdint.h>

namespace kiln::model {

enum class TensorType : int8_t {
  kFloat32 = 0, kFloat16 = 1, kInt32 = 2, kUInt8 = 3, kInt64 = 4, kString = 5,
  kBool = 6, kInt16 = 7, kComplex64 = 8, kInt8 = 9, kFloat64 = 10,
  kComplex128 = 11, kUInt64 = 12, kResource = 13, kVariant = 14, kUInt32 = 15,
  kUInt16 = 16, kInt4 = 17,
};
const char* tensor_type_name(TensorType t);
// Bytes per element, 0 for types kiln cannot hold in an arena.
uint32_t tensor_type_size(TensorType t);

// Only the operators kiln names in messages or implements; any other code is
// still reported by number ("BUILTIN_123").
enum class BuiltinOp : int32_t {
  kAdd = 0, kAveragePool2d = 1, kConcatenation = 2, kConv2d = 3,
  kDepthwiseConv2d = 4, kDepthToSpace = 5, kDequantize = 6, kEmbeddingLookup = 7,
  kFloor = 8, kFullyConnected = 9, kHashtableLookup = 10, kL2Normalization = 11,
  kL2Pool2d = 12, kLocalResponseNormalization = 13, kLogistic = 14,
  kLshProjection = 15, kLstm = 16, kMaxPool2d = 17, kMul = 18, kRelu = 19,
  kReluN1To1 = 20, kRelu6 = 21, kReshape = 22, kResizeBilinear = 23, kRnn = 24,
  kSoftmax = 25, kSpaceToDepth = 26, kSvdf = 27, kTanh = 28,
  kConcatEmbeddings = 29, kSkipGram = 30, kCall = 31, kCustom = 32,
  kEmbeddingLookupSparse = 33, kPad = 34, kUnidirectionalSequenceRnn = 35,
  kGather = 36, kBatchToSpaceNd = 37, kSpaceToBatchNd = 38, kTranspose = 39,
  kMean = 40, kSub = 41, kDiv = 42, kSqueeze = 43,
  kUnidirectionalSequenceLstm = 44, kStridedSlice = 45,
  kBidirectionalSequenceRnn = 46, kExp = 47, kTopkV2 = 48, kSplit = 49,
  kLogSoftmax = 50, kDelegate = 51, kBidirectionalSequenceLstm = 52, kCast = 53,
  kPrelu = 54, kMaximum = 55, kArgMax = 56, kMinimum = 57, kLess = 58, kNeg = 59,
  kPadV2 = 60, kGreater = 61, kGreaterEqual = 62, kLessEqual = 63, kSelect = 64,
  kSlice = 65, kSin = 66, kTransposeConv = 67, kSparseToDense = 68, kTile = 69,
  kExpandDims = 70, kEqual = 71, kNotEqual = 72, kLog = 73, kSum = 74,
  kSqrt = 75, kRsqrt = 76, kShape = 77, kPow = 78, kArgMin = 79,
  kFakeQuant = 80, kReduceProd = 81, kReduceMax = 82, kPack = 83,
  kLogicalOr = 84, kOneHot = 85, kLogicalAnd = 86, kLogicalNot = 87,
  kUnpack = 88, kReduceMin = 89, kFloorDiv = 90, kReduceAny = 91, kSquare = 92,
  kZerosLike = 93, kFill = 94, kFloorMod = 95, kRange = 96,
  kResizeNearestNeighbor = 97, kLeakyRelu = 98, kSquaredDifference = 99,
  kMirrorPad = 100, kAbs = 101, kSplitV = 102, kUnique = 103, kCeil = 104,
  kReverseV2 = 105, kAddN = 106, kGatherNd = 107, kCos = 108, kWhere = 109,
  kRank = 110, kElu = 111, kReverseSequence = 112, kMatrixDiag = 113,
  kQuantize = 114, kMatrixSetDiag = 115, kRound = 116, kHardSwish = 117,
  kIf = 118, kWhile = 119, kNonMaxSuppressionV4 = 120,
  kNonMaxSuppressionV5 = 121, kScatterNd = 122, kSelectV2 = 123,
  kDensify = 124, kSegmentSum = 125, kBatchMatmul = 126,
};
// "CONV_2D", "SVDF", ...; "BUILTIN_<n>" is written into `fallback` for codes
// outside the table (fallback needs 16 bytes).
const char* builtin_op_name(int32_t code, char* fallback, uint32_t fallback_size);

// BuiltinOptions union tags for the option tables kiln reads.
enum class OptionsType : uint8_t {
  kNone = 0, kConv2d = 1, kDepthwiseConv2d = 2, kPool2d = 5, kSvdf = 6,
  kFullyConnected = 8, kSoftmax = 9, kConcatenation = 10, kAdd = 11,
  kReshape = 17, kMul = 21, kPad = 22, kReducer = 27, kSub = 28,
  kStridedSlice = 32, kDequantize = 38, kTransposeConv = 49,
  kLeakyRelu = 75, kQuantize = 89,
};

enum class Padding : int8_t { kSame = 0, kValid = 1 };

enum class Activation : int8_t {
  kNone = 0, kRelu = 1, kReluN1To1 = 2, kRelu6 = 3, kTanh = 4, kSignBit = 5,
};

}  // namespace kiln::model
