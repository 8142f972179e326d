// Data set readers: IDX (plain and gzip), .npy, folders, JSON specs, labels,
// and every malformed input giving a ToolError (never a crash).
#include "kiln/dataset/dataset.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "kiln/host/error.h"
#include "temp_dir.h"

namespace kiln::dataset {
namespace {

using host::ToolError;
using test::TempDir;
using test::write_bytes;
using test::write_text;

void put_be32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<uint8_t>(x >> s));
}

// IDX ubyte file of `n` items of rows x cols; element value = (item*7 + i) % 256.
std::vector<uint8_t> idx_images(uint32_t n, uint32_t rows, uint32_t cols) {
  std::vector<uint8_t> v = {0, 0, 0x08, 3};
  put_be32(v, n);
  put_be32(v, rows);
  put_be32(v, cols);
  for (uint32_t item = 0; item < n; ++item)
    for (uint32_t i = 0; i < rows * cols; ++i) v.push_back(static_cast<uint8_t>((item * 7 + i) % 256));
  return v;
}

std::vector<uint8_t> idx_labels(const std::vector<uint8_t>& labels) {
  std::vector<uint8_t> v = {0, 0, 0x08, 1};
  put_be32(v, static_cast<uint32_t>(labels.size()));
  v.insert(v.end(), labels.begin(), labels.end());
  return v;
}

void write_gzip(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  gzclose(f);
}

std::string error_of(const std::string& path, const OpenOptions& o = {}) {
  try {
    open_dataset(path, o);
  } catch (const ToolError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Idx, ReadsImagesLabelsAndPreprocessing) {
  TempDir dir;
  write_bytes(dir.file("img-idx3-ubyte"), idx_images(5, 2, 3));
  write_bytes(dir.file("lbl-idx1-ubyte"), idx_labels({3, 1, 4, 1, 5}));
  OpenOptions o;
  o.labels_path = dir.file("lbl-idx1-ubyte");
  o.preprocess = {1.0f / 255.0f, -0.5f};
  const Dataset ds = open_dataset(dir.file("img-idx3-ubyte"), o);
  ASSERT_EQ(ds.size(), 5u);
  EXPECT_EQ(ds.sample_shape, (std::vector<int32_t>{2, 3}));
  EXPECT_EQ(ds.labels, (std::vector<int32_t>{3, 1, 4, 1, 5}));
  ASSERT_EQ(ds.samples[2].size(), 6u);
  EXPECT_FLOAT_EQ(ds.samples[2][1], 15.0f / 255.0f - 0.5f);  // item 2, element 1 = 15
  EXPECT_NE(ds.description.find("IDX img-idx3-ubyte: 5 x 2x3 ubyte"), std::string::npos) << ds.description;
}

TEST(Idx, GzipAndLimit) {
  TempDir dir;
  write_gzip(dir.file("img.gz"), idx_images(10, 4, 4));
  write_gzip(dir.file("lbl.gz"), idx_labels({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  OpenOptions o;
  o.labels_path = dir.file("lbl.gz");
  o.limit = 3;
  const Dataset ds = open_dataset(dir.file("img.gz"), o);
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds.labels, (std::vector<int32_t>{0, 1, 2}));
  EXPECT_FLOAT_EQ(ds.samples[1][0], 7.0f);
}

TEST(Idx, FloatElements) {
  TempDir dir;
  std::vector<uint8_t> v = {0, 0, 0x0D, 2};
  put_be32(v, 2);
  put_be32(v, 2);
  for (float f : {1.5f, -2.0f, 0.25f, 100.0f}) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    put_be32(v, u);
  }
  write_bytes(dir.file("f.idx"), v);
  const Dataset ds = open_dataset(dir.file("f.idx"), {});
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds.samples[0], (std::vector<float>{1.5f, -2.0f}));
  EXPECT_EQ(ds.samples[1], (std::vector<float>{0.25f, 100.0f}));
}

TEST(Idx, EveryTruncationIsAClearError) {
  TempDir dir;
  const std::vector<uint8_t> full = idx_images(3, 3, 3);
  for (size_t len = 0; len < full.size(); ++len) {
    write_bytes(dir.file("t.idx"), std::vector<uint8_t>(full.begin(), full.begin() + static_cast<long>(len)));
    const std::string e = error_of(dir.file("t.idx"));
    EXPECT_NE(e, "(no error)") << "length " << len;
    EXPECT_TRUE(e.find("IDX") != std::string::npos) << e;
  }
  std::vector<uint8_t> longer = full;
  longer.push_back(0);
  write_bytes(dir.file("t.idx"), longer);
  EXPECT_NE(error_of(dir.file("t.idx")).find("trailing data"), std::string::npos);
}

TEST(Idx, TruncatedGzipIsAClearError) {
  TempDir dir;
  write_gzip(dir.file("full.gz"), idx_images(20, 8, 8));
  const std::vector<uint8_t> gz = [&] {
    std::ifstream in(dir.file("full.gz"), std::ios::binary);
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  for (size_t len = 2; len < gz.size(); len += 7) {
    write_bytes(dir.file("cut.gz"), std::vector<uint8_t>(gz.begin(), gz.begin() + static_cast<long>(len)));
    EXPECT_NE(error_of(dir.file("cut.gz")).find("cut.gz"), std::string::npos) << "length " << len;
  }
  std::vector<uint8_t> corrupt = gz;
  for (size_t i = 12; i < corrupt.size() - 8; i += 5) corrupt[i] ^= 0x5A;
  write_bytes(dir.file("bad.gz"), corrupt);
  EXPECT_NE(error_of(dir.file("bad.gz")), "(no error)");
}

TEST(Idx, WrongMagicTypeAndRank) {
  TempDir dir;
  write_bytes(dir.file("a.idx"), {1, 0, 8, 1, 0, 0, 0, 0});
  EXPECT_NE(error_of(dir.file("a.idx")).find("wrong magic"), std::string::npos);
  write_bytes(dir.file("b.idx"), {0, 0, 0x07, 1, 0, 0, 0, 0});
  EXPECT_NE(error_of(dir.file("b.idx")).find("element type 0x07 is unknown"), std::string::npos);
  write_bytes(dir.file("c.idx"), {0, 0, 8, 0});
  EXPECT_NE(error_of(dir.file("c.idx")).find("rank is 0"), std::string::npos);
  write_bytes(dir.file("d.idx"), {0, 0, 8, 1, 0, 0, 0, 0});
  EXPECT_NE(error_of(dir.file("d.idx")).find("holds no samples"), std::string::npos);
}

TEST(Labels, CountMismatchAndRange) {
  TempDir dir;
  write_bytes(dir.file("img"), idx_images(4, 2, 2));
  write_bytes(dir.file("lbl3"), idx_labels({1, 2, 3}));
  write_bytes(dir.file("lbl4"), idx_labels({1, 2, 3, 10}));
  OpenOptions o;
  o.labels_path = dir.file("lbl3");
  EXPECT_NE(error_of(dir.file("img"), o).find("hold 3 labels but data set"), std::string::npos);
  o.labels_path = dir.file("lbl4");
  o.num_classes = 10;
  EXPECT_NE(error_of(dir.file("img"), o).find("label of sample 3 is 10, outside [0, 10)"), std::string::npos);
  o.labels_path = dir.file("missing");
  EXPECT_NE(error_of(dir.file("img"), o).find("missing"), std::string::npos);
  // 2-D labels file.
  write_bytes(dir.file("lbl2d"), idx_images(4, 1, 2));
  o.labels_path = dir.file("lbl2d");
  o.num_classes = 0;
  EXPECT_NE(error_of(dir.file("img"), o).find("must be 1-D"), std::string::npos);
  // Text labels, one per line.
  write_text(dir.file("l.txt"), "# digits\n1\n2\n3\n4\n");
  o.labels_path = dir.file("l.txt");
  EXPECT_EQ(open_dataset(dir.file("img"), o).labels, (std::vector<int32_t>{1, 2, 3, 4}));
  write_text(dir.file("bad.txt"), "1\ntwo\n3\n4\n");
  o.labels_path = dir.file("bad.txt");
  EXPECT_NE(error_of(dir.file("img"), o).find("bad.txt:2"), std::string::npos);
}

TEST(Npy, FirstAxisIsSamples) {
  TempDir dir;
  const std::string header = "{'descr': '<i2', 'fortran_order': False, 'shape': (3, 2, 2), }";
  std::string h = header;
  while ((10 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  std::vector<uint8_t> f = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                            static_cast<uint8_t>(h.size() & 0xff), static_cast<uint8_t>(h.size() >> 8)};
  f.insert(f.end(), h.begin(), h.end());
  for (int16_t i = 0; i < 12; ++i) {
    const int16_t v = static_cast<int16_t>(i * 100 - 500);
    f.push_back(static_cast<uint8_t>(v & 0xff));
    f.push_back(static_cast<uint8_t>((v >> 8) & 0xff));
  }
  write_bytes(dir.file("x.npy"), f);
  const Dataset ds = open_dataset(dir.file("x.npy"), {});
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds.sample_shape, (std::vector<int32_t>{2, 2}));
  EXPECT_EQ(ds.samples[2], (std::vector<float>{300, 400, 500, 600}));
  f.resize(f.size() - 3);
  write_bytes(dir.file("cut.npy"), f);
  EXPECT_NE(error_of(dir.file("cut.npy")), "(no error)");
}

std::vector<uint8_t> pgm(int w, int h, uint8_t base) {
  const std::string head = "P5\n" + std::to_string(w) + " " + std::to_string(h) + "\n255\n";
  std::vector<uint8_t> v(head.begin(), head.end());
  for (int i = 0; i < w * h; ++i) v.push_back(static_cast<uint8_t>(base + i));
  return v;
}

TEST(Folder, FilesInNameOrderWithLabels) {
  TempDir dir;
  write_bytes(dir.file("b.pgm"), pgm(2, 2, 10));
  write_bytes(dir.file("a.pgm"), pgm(2, 2, 20));
  write_bytes(dir.file("c.bin"), {1, 2, 3, 4});
  write_text(dir.file("notes.md"), "ignored");
  write_text(dir.file("labels.txt"), "file,label\na.pgm,0\nb.pgm,1\nsub/c.bin,2\n");
  const Dataset ds = open_dataset(dir.path(), {});
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds.sample_shape, (std::vector<int32_t>{2, 2, 1}));
  EXPECT_EQ(ds.samples[0], (std::vector<float>{20, 21, 22, 23}));
  EXPECT_EQ(ds.samples[1], (std::vector<float>{10, 11, 12, 13}));
  EXPECT_EQ(ds.samples[2], (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(ds.labels, (std::vector<int32_t>{0, 1, 2}));
}

TEST(Folder, BadFoldersAreClearErrors) {
  TempDir dir;
  EXPECT_NE(error_of(dir.path()).find("holds no sample files"), std::string::npos);
  write_bytes(dir.file("a.pgm"), pgm(2, 2, 0));
  write_bytes(dir.file("b.pgm"), pgm(3, 2, 0));
  EXPECT_NE(error_of(dir.path()).find("b.pgm: sample has 6 values"), std::string::npos);
  write_bytes(dir.file("b.pgm"), pgm(2, 2, 0));
  write_text(dir.file("labels.csv"), "a.pgm,1\n");
  EXPECT_NE(error_of(dir.path()).find("no label for sample file 'b.pgm'"), std::string::npos);
  write_text(dir.file("labels.csv"), "a.pgm,1\nb.pgm,2\na.pgm,3\n");
  EXPECT_NE(error_of(dir.path()).find("labelled twice"), std::string::npos);
  write_text(dir.file("labels.csv"), "a.pgm,1\nb.pgm,x\n");
  EXPECT_NE(error_of(dir.path()).find("labels.csv:2"), std::string::npos);
  write_bytes(dir.file("b.pgm"), {'P', '5', '\n', '2'});
  std::remove(dir.file("labels.csv").c_str());
  EXPECT_NE(error_of(dir.path()).find("b.pgm"), std::string::npos);
}

TEST(Spec, JsonDeclaresDataLabelsAndPreprocessing) {
  TempDir dir;
  write_bytes(dir.file("img"), idx_images(6, 2, 2));
  write_bytes(dir.file("lbl"), idx_labels({0, 1, 2, 0, 1, 2}));
  write_text(dir.file("data.json"),
             R"({"path": "img", "labels": "lbl", "scale": 0.5, "offset": 1, "limit": 4, "num_classes": 3})");
  const Dataset ds = open_dataset(dir.file("data.json"), {});
  ASSERT_EQ(ds.size(), 4u);
  EXPECT_EQ(ds.labels, (std::vector<int32_t>{0, 1, 2, 0}));
  EXPECT_FLOAT_EQ(ds.samples[1][0], 7 * 0.5f + 1.0f);
  OpenOptions o;  // explicit options win over the spec
  o.limit = 2;
  EXPECT_EQ(open_dataset(dir.file("data.json"), o).size(), 2u);

  write_text(dir.file("typo.json"), R"({"path": "img", "scael": 2})");
  EXPECT_NE(error_of(dir.file("typo.json")).find("unknown key \"scael\""), std::string::npos);
  write_text(dir.file("nopath.json"), R"({"scale": 2})");
  EXPECT_NE(error_of(dir.file("nopath.json")).find("needs a \"path\""), std::string::npos);
  write_text(dir.file("bad.json"), R"({"path": )");
  EXPECT_NE(error_of(dir.file("bad.json")).find("invalid JSON"), std::string::npos);
  write_text(dir.file("type.json"), R"({"path": "img", "scale": "big"})");
  EXPECT_NE(error_of(dir.file("type.json")).find("wrong value type"), std::string::npos);
  write_text(dir.file("gone.json"), R"({"path": "nothing-here"})");
  EXPECT_NE(error_of(dir.file("gone.json")).find("does not exist"), std::string::npos);
}

TEST(Open, MissingPathAndNonFiniteValues) {
  TempDir dir;
  EXPECT_NE(error_of(dir.file("nope.idx")).find("does not exist"), std::string::npos);
  write_bytes(dir.file("img"), idx_images(1, 1, 2));
  OpenOptions o;
  o.preprocess.scale = 1e38f;
  o.preprocess.offset = 3e38f;
  EXPECT_NE(error_of(dir.file("img"), o).find("not a finite number"), std::string::npos);
}

}  // namespace
}  // namespace kiln::dataset
