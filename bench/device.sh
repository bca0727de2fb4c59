#!/bin/bash
# The capture benchmark on a many-core machine (see ../shared/tools/bench-pack): each webhook shape against the bare
# server in the same run, autocannon with 4 worker threads and 64 connections, 3 rounds of 8 s. Results in $OUT.
set -u
nproc | tee "$OUT/cores.txt"
for shape in "" "--zendesk" "--body-kb 64"; do
  name=${shape:-small}; name=${name//-/}; name=${name// /}
  node --import tsx bench/capture.ts --seconds 8 --rounds 3 --connections 64 --workers 4 $shape 2>&1 | tee "$OUT/$name.txt"
done
