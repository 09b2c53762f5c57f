"""Issue 17's lever 'fine-tune only the top blocks on cached mid-level features': what one epoch would cost here.

The bottom of MobileNetV2 (blocks 0-13) runs once per image and its block-13 output (96 x 34 x 34 at 544 px) is cached;
each epoch then runs the top blocks (14-18) forward and backward over every training image. This times that step on
random inputs of the cached shape (the cost does not depend on the values), in PyTorch on this CPU, channels-last,
batches of 32, and prints seconds per image and per epoch of 3,180 images. EfficientNet-Lite0's top is not counted.
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_finetune_cost.py"""
import time, torch
from torch import nn
from art_predict.models import backbone_blocks

torch.manual_seed(0)
blocks = backbone_blocks('mobilenet_v2')
top = nn.Sequential(*blocks[14:], nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, 5)).train().to(memory_format=torch.channels_last)
opt = torch.optim.AdamW(top.parameters(), 1e-4)
x = torch.randn(32, 96, 34, 34).contiguous(memory_format=torch.channels_last); y = torch.randint(0, 5, (32,))
def step():
    loss = nn.functional.cross_entropy(top(x), y); opt.zero_grad(); loss.backward(); opt.step()
step() # warm up
t = time.perf_counter(); n = 5
for _ in range(n): step()
s = (time.perf_counter() - t)/(n*32)
fwd = sum(p.numel() for p in top.parameters())
print(f"top blocks 14-18 of MobileNetV2 at 544 px ({fwd:,} parameters): {s*1000:.1f} ms an image forward and backward; "
      f"{s*3180:.0f} s an epoch of 3,180 images; a 5-fold CV of 3 epochs (each fold 2,544 images) {s*2544*3*5:.0f} s")
