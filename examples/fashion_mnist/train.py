#!/usr/bin/python3
"""Trains kiln's Fashion-MNIST example CNN and exports it to ONNX.

Uses only Debian packages: python3-torch (1.13) and python3-numpy, reading the
IDX files of dataset-fashion-mnist. Writes, next to this script:
  fashion_mnist.onnx       the float model (input [1,1,28,28] = pixel / 255)
  reference_outputs.npy    torch's float outputs for the first N test images
  metrics.json             float test accuracy and training settings
Runs in a few minutes on 2 cores (3 epochs).
"""
import argparse
import gzip
import json
import os
import random
import time

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))


def read_idx(path):
    """IDX file (gzip): magic 0x0000 <type 0x08 = u8> <rank>, big-endian dims."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank)
    return data.reshape(dims)


def load(split):
    images = read_idx(os.path.join(DATA, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA, f"{split}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)  # N,1,28,28
    return x, torch.from_numpy(labels.astype(np.int64))


class SmallCnn(nn.Module):
    """conv16 → BN → relu → pool → conv32 → relu → pool → fc64 → BN → relu → fc10 → softmax.

    The BatchNorm after the first Gemm stays in the ONNX graph (torch only fuses
    Conv+BN on export), so kiln's importer folds it into the FULLY_CONNECTED.
    """

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(32 * 7 * 7, 64), nn.BatchNorm1d(64), nn.ReLU(),
            nn.Linear(64, 10))

    def forward(self, x):
        return torch.softmax(self.classifier(self.features(x)), dim=1)

    def logits(self, x):
        return self.classifier(self.features(x))


def accuracy(model, x, y, batch=1000):
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model.logits(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--references", type=int, default=100, help="test images with stored torch outputs")
    ap.add_argument("--out", default=HERE)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)

    x_train, y_train = load("train")
    x_test, y_test = load("t10k")
    model = SmallCnn()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=args.epochs * (len(x_train) // 64 + 1))
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)
    for epoch in range(args.epochs):
        start = time.time()
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        for i in range(0, len(x_train), 64):
            idx = order[i:i + 64]
            opt.zero_grad()
            loss = loss_fn(model.logits(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        print(f"epoch {epoch + 1}/{args.epochs}: loss {loss.item():.3f}, "
              f"test accuracy {accuracy(model, x_test, y_test):.4f} ({time.time() - start:.0f} s)", flush=True)

    model.eval()
    acc = accuracy(model, x_test, y_test)
    onnx_path = os.path.join(args.out, "fashion_mnist.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), onnx_path, opset_version=13,
                      input_names=["input"], output_names=["probabilities"], do_constant_folding=True)
    with torch.no_grad():
        refs = torch.cat([model(x_test[i:i + 1]) for i in range(args.references)]).numpy().astype(np.float32)
    np.save(os.path.join(args.out, "reference_outputs.npy"), refs)
    metrics = {"test_accuracy": acc, "test_images": len(x_test), "epochs": args.epochs, "seed": args.seed,
               "reference_images": args.references, "torch": torch.__version__,
               "reference_argmax_matches_labels": int((refs.argmax(1) == y_test[:args.references].numpy()).sum())}
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    print(f"float test accuracy {acc:.4f}; wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes)")


if __name__ == "__main__":
    main()
