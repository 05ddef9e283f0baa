-- wrk script used by bench/activites/run.sh: POST /api/activites (one CRA per request), with the
-- session and CSRF cookies and the X-CSRF-Token header. Inputs come from the environment:
--   BENCH_BODY    JSON body of the CRA
--   BENCH_COOKIE  "coop_csrf=…; coop_session=…"
--   BENCH_CSRF    value of the coop_csrf cookie (double-submit header)
-- At the end prints one line "BENCH_JSON {…}": latencies in ms, throughput in req/s; non2xx is
-- wrk's count of responses with a status outside 2xx/3xx (the API answers 201 on success).
--
-- Usage: BENCH_BODY=… BENCH_COOKIE=… BENCH_CSRF=… wrk -t1 -c1 -d10s -s bench/activites/post.lua URL

wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or "{}"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE") or ""
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF") or ""

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local function ms(us) return us / 1000 end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
    '"lat_mean_ms":%.3f,"lat_p50_ms":%.3f,"lat_p99_ms":%.3f,"lat_max_ms":%.3f,' ..
    '"non2xx":%d,"err_socket":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    ms(latency.mean), ms(latency:percentile(50)), ms(latency:percentile(99)), ms(latency.max),
    e.status, e.connect + e.read + e.write + e.timeout))
end
