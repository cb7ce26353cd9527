#!/usr/bin/env bash
# Train every shipped network from scratch, as ./build.sh train does, and print
# how long it took: the CNN and the MLP side by side (one BLAS thread each: on
# two cores that beats two threads each, one after the other), then the pen's
# path network, then how it joins each of them (py.calibrate --path).
# Logs go to runs/train-*.log, and their last lines here every minute.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p runs
start=$SECONDS
export OPENBLAS_NUM_THREADS=1
.venv/bin/python -m py.train --model cnn > runs/train-cnn.log 2>&1 & cnn=$!
.venv/bin/python -m py.train --model mlp > runs/train-mlp.log 2>&1 & mlp=$!
trap 'kill $cnn $mlp 2>/dev/null' EXIT
echo "training the CNN and the MLP side by side (runs/train-cnn.log, runs/train-mlp.log)"
while kill -0 $cnn 2>/dev/null || kill -0 $mlp 2>/dev/null; do
  sleep 60
  for name in cnn mlp; do echo "  $name: $(tail -n 1 runs/train-$name.log)"; done
done
wait $cnn || { echo "the CNN failed: runs/train-cnn.log" >&2; exit 1; }
wait $mlp || { echo "the MLP failed: runs/train-mlp.log" >&2; exit 1; }
echo "training the pen's path network (runs/train-path.log)"
.venv/bin/python -m py.train --model path > runs/train-path.log 2>&1 || { echo "failed: runs/train-path.log" >&2; exit 1; }
for name in cnn mlp; do
  .venv/bin/python -m py.calibrate --weights weights/$name.npz --path weights/path.npz > runs/train-join-$name.log 2>&1 \
    || { echo "failed: runs/train-join-$name.log" >&2; exit 1; }
  echo "$name: the pen's path joined, $(grep '^chosen' runs/train-join-$name.log)"
done
echo "trained every shipped network in $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s"
