// The scalar a probe fits in: double, or float when run.sh compiles it with -DPROBE_FLOAT.
#pragma once
#ifdef PROBE_FLOAT
using T = float;
#else
using T = double;
#endif
