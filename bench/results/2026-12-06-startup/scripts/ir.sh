#!/bin/sh
# usage: ir.sh CMD... : prints instructions (millions) executed in user space by the command under cachegrind
valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/I\s+refs/ {gsub(",","",$4); printf "%.0f\n", $4/1e6}'
