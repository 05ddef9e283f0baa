-- wrk script used by bench/run.sh: at the end of a run, prints the summary as one JSON line
-- prefixed with "BENCH_JSON " (wrk's human-readable output units vary: "us"/"ms"/"s", "k"/"M").
-- Latencies are in milliseconds, throughput in requests per second.
--
-- Usage: wrk -t2 -c64 -d10s --latency -s bench/report.lua [-H "Cookie: ..."] URL

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local function ms(us) return us / 1000 end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_s":%.3f,"rps":%.1f,"bytes":%d,' ..
    '"lat_mean_ms":%.3f,"lat_stdev_ms":%.3f,"lat_p50_ms":%.3f,"lat_p90_ms":%.3f,' ..
    '"lat_p99_ms":%.3f,"lat_max_ms":%.3f,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    ms(latency.mean), ms(latency.stdev), ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(99)), ms(latency.max),
    e.connect, e.read, e.write, e.status, e.timeout))
end
