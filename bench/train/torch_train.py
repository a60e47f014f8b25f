"""bench/train's PyTorch side: the same network, loss, optimiser and batch as trainer-service.

ResNet-style backbone (conv3x3 16 + BN + ReLU; three residual stages of 16/32/64 channels, each
stride 2 with a projecting 1x1 shortcut; global average pool), a linear 4-way head, Adam lr 1e-3,
softmax cross-entropy, batch 32 x 1x64x64, CPU. Prints "pytorch <ms per step>".
Usage: torch_train.py [steps] [threads]
"""
import sys
import time

import torch
from torch import nn

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 40
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
torch.manual_seed(1)


def conv(cin, cout, k, s):
    return nn.Conv2d(cin, cout, k, stride=s, padding=k // 2, bias=False)


class Residual(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(conv(cin, cout, 3, stride), nn.BatchNorm2d(cout), nn.ReLU(),
                                  conv(cout, cout, 3, 1), nn.BatchNorm2d(cout))
        self.shortcut = nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm2d(cout))

    def forward(self, x):
        return torch.relu(self.main(x) + self.shortcut(x))


w = 16
net = nn.Sequential(conv(1, w, 3, 1), nn.BatchNorm2d(w), nn.ReLU(),
                    Residual(w, w, 2), Residual(w, 2 * w, 2), Residual(2 * w, 4 * w, 2),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4 * w, 4))
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
data = torch.rand(512, 1, 64, 64)
labels = torch.randint(0, 4, (512,))
generator = torch.Generator().manual_seed(7)


def step():
    idx = torch.randint(0, 512, (32,), generator=generator)
    optimizer.zero_grad()
    loss = loss_fn(net(data[idx]), labels[idx])
    loss.backward()
    optimizer.step()


net.train()
for _ in range(10):
    step()
start = time.perf_counter()
for _ in range(steps):
    step()
print(f"pytorch {(time.perf_counter() - start) * 1000 / steps:.1f}", flush=True)
