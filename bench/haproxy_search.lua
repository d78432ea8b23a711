-- wrk script for bench/haproxy_bench.sh: each request a different search
-- (two words of forty and a limit from 1 to 50: 78,000 combinations), so
-- the API's response cache does not answer them; seeded per thread.
local words = {"language", "model", "graph", "neural", "protein", "quantum", "learning", "vision", "attention", "retrieval",
               "diffusion", "reinforcement", "cell", "gene", "robot", "speech", "transformer", "optimization", "sparse", "dense",
               "network", "training", "data", "image", "text", "policy", "agent", "memory", "causal", "bayesian",
               "kernel", "sampling", "energy", "molecule", "benchmark", "evaluation", "inference", "reasoning", "code", "audio"}
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("seed", counter) end
init = function() math.randomseed(seed or 1) end
request = function()
  local q = words[math.random(#words)] .. "+" .. words[math.random(#words)]
  return wrk.format("GET", wrk.path .. "?q=" .. q .. "&limit=" .. math.random(50))
end
