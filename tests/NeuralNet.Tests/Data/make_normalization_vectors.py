"""Writes normalization_vectors.json: values computed by PyTorch (float64 autograd) for the
batch-normalisation, layer-normalisation and residual-block tests (NormalizationVectorsTests).

Run once with Debian's python3-torch (1.13): /usr/bin/python3 make_normalization_vectors.py
Each case: an input x (rows = samples), the layer's parameters, coefficients c of the objective
L = sum(c * y), and PyTorch's y, dL/dx and dL/dparameter; for batch norm also the running
statistics after one training step and the evaluation-mode output with them.
"""
import json
import torch

torch.manual_seed(15)
torch.set_default_dtype(torch.float64)


def rows(t):
    t = t.detach()
    return t.tolist() if t.dim() == 2 else [t.tolist()]


def vec(t):
    return t.detach().reshape(-1).tolist()


cases = []

# batch norm, training step then evaluation (PyTorch's defaults: momentum 0.1, eps 1e-5)
x = (torch.randn(6, 4) * 2 + 0.5).requires_grad_()
bn = torch.nn.BatchNorm1d(4)
with torch.no_grad():
    bn.weight.copy_(torch.randn(4))
    bn.bias.copy_(torch.randn(4))
    bn.running_mean.copy_(torch.randn(4) * 0.1)
    bn.running_var.copy_(torch.rand(4) + 0.5)
start_mean, start_var = bn.running_mean.clone(), bn.running_var.clone()
c = torch.randn(6, 4)
bn.train()
y = bn(x)
(c * y).sum().backward()
bn.eval()
x_eval = torch.randn(3, 4)
y_eval = bn(x_eval)
cases.append({
    "name": "batch_norm", "size": 4, "momentum": 0.1, "epsilon": 1e-5,
    "x": rows(x), "c": rows(c), "scale": vec(bn.weight), "shift": vec(bn.bias),
    "runningMean": vec(start_mean), "runningVariance": vec(start_var),
    "y": rows(y), "dx": rows(x.grad), "dScale": vec(bn.weight.grad), "dShift": vec(bn.bias.grad),
    "runningMeanAfter": vec(bn.running_mean), "runningVarianceAfter": vec(bn.running_var),
    "xEval": rows(x_eval), "yEval": rows(y_eval),
})

# layer norm over each sample's features
x = (torch.randn(5, 6) * 1.5 - 0.3).requires_grad_()
ln = torch.nn.LayerNorm(6)
with torch.no_grad():
    ln.weight.copy_(torch.randn(6))
    ln.bias.copy_(torch.randn(6))
c = torch.randn(5, 6)
y = ln(x)
(c * y).sum().backward()
cases.append({
    "name": "layer_norm", "size": 6, "epsilon": 1e-5,
    "x": rows(x), "c": rows(c), "scale": vec(ln.weight), "shift": vec(ln.bias),
    "y": rows(y), "dx": rows(x.grad), "dScale": vec(ln.weight.grad), "dShift": vec(ln.bias.grad),
})

# residual block with a projection: y = W2·tanh(W1·x + b1) + b2 + (P·x + p)
x = torch.randn(5, 4).requires_grad_()
l1, l2, proj = torch.nn.Linear(4, 6), torch.nn.Linear(6, 3), torch.nn.Linear(4, 3)
c = torch.randn(5, 3)
y = l2(torch.tanh(l1(x))) + proj(x)
(c * y).sum().backward()
cases.append({
    "name": "residual_projection",
    "x": rows(x), "c": rows(c),
    "weights": [rows(l1.weight), rows(l2.weight), rows(proj.weight)],
    "biases": [vec(l1.bias), vec(l2.bias), vec(proj.bias)],
    "y": rows(y), "dx": rows(x.grad),
    "dWeights": [rows(l1.weight.grad), rows(l2.weight.grad), rows(proj.weight.grad)],
    "dBiases": [vec(l1.bias.grad), vec(l2.bias.grad), vec(proj.bias.grad)],
})

# residual block with the identity skip: y = W2·relu(W1·x + b1) + b2 + x
x = torch.randn(5, 4).requires_grad_()
l1, l2 = torch.nn.Linear(4, 7), torch.nn.Linear(7, 4)
c = torch.randn(5, 4)
y = l2(torch.relu(l1(x))) + x
(c * y).sum().backward()
cases.append({
    "name": "residual_identity",
    "x": rows(x), "c": rows(c),
    "weights": [rows(l1.weight), rows(l2.weight)],
    "biases": [vec(l1.bias), vec(l2.bias)],
    "y": rows(y), "dx": rows(x.grad),
    "dWeights": [rows(l1.weight.grad), rows(l2.weight.grad)],
    "dBiases": [vec(l1.bias.grad), vec(l2.bias.grad)],
})

with open("normalization_vectors.json", "w") as f:
    json.dump({"generator": "make_normalization_vectors.py, PyTorch " + torch.__version__ + ", float64", "cases": cases}, f, indent=1)
