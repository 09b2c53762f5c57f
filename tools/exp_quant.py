"""Issue 17 lever: the default body (MobileNetV2 at 544 px, as `tools/exp_levers.py` exports it) quantised to int8 by ONNX Runtime
(static, QOperator, per-channel weights, 32 training images to calibrate), against the float graph: images/s over 64
preprocessed training images (batches of 16) and how far the features move. Needs runs/exp/levers/body_mobilenet_v2_544.onnx.
Run: OMP_NUM_THREADS=2 .venv/bin/python tools/exp_quant.py"""
import time, numpy as np, onnxruntime as ort, glob
from onnxruntime.quantization import quantize_static, CalibrationDataReader, QuantFormat, QuantType
from onnxruntime.quantization.shape_inference import quant_pre_process
from art_predict.files import load_rgb, prepare
from art_predict.ort import ort_session
src = 'runs/exp/levers/body_mobilenet_v2_544.onnx'
paths = sorted(glob.glob('../shared/data/art/training_set/*/*'))[::50][:64]
xs = np.stack([prepare(load_rgb(p), 544, 'squish') for p in paths])
class R(CalibrationDataReader):
    def __init__(self): self.it = iter([{'image': xs[i:i+8]} for i in range(0, 32, 8)])
    def get_next(self): return next(self.it, None)
t = time.perf_counter()
import tempfile; d = tempfile.mkdtemp()
quant_pre_process(src, d+'/pre.onnx', skip_symbolic_shape=True)
quantize_static(d+'/pre.onnx', d+'/q.onnx', R(), quant_format=QuantFormat.QOperator, per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
print('quantized in', time.perf_counter()-t)
for f in (src, d+'/q.onnx'):
    s = ort_session(f); s.run(None, {'image': xs[:16]})
    t = time.perf_counter()
    for i in range(0, 64, 16): o = s.run(None, {'image': xs[i:i+16]})[0]
    dt = time.perf_counter()-t; print(f, f"{64/dt:.1f} img/s")
    if f == src: ref = o
print('max abs diff', np.abs(o-ref).max(), 'rel', np.abs(o-ref).mean()/np.abs(ref).mean())
