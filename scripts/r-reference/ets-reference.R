# Independent reference for the engine's exponential smoothing: R's `forecast` package (Hyndman et al.;
# Debian package r-cran-forecast) fitted to the real series in test/fixtures/forecast-series/.
#
# For each series it writes test/fixtures/forecast-r/<file>.json with:
#   - the series as R fitted it (R's default na.contiguous: the longest stretch without a missing period);
#   - ets(y): R's automatic choice among its default models (error A or M; trend N, A or damped A; season
#     N, A or M; multiplicative ones only for positive data), its parameters, initial and final states,
#     sigma2, loglik, AIC, AICc; and `additiveModel`, the choice of ets(y, additive.only = TRUE);
#   - forecasts for h = 1..H with 80/90/95 % intervals (forecast.ets: class-1/2/3 analytical variance);
#   - every candidate model fitted on its own (loglik, AICc, parameters, states, sigma2, forecasts with
#     intervals), and R's starting state (initstate) of the chosen model.
# The tests (test/engine/ets-r-reference.test.ts) read these files; they never run R.
#
# Run from the repository root:   Rscript scripts/r-reference/ets-reference.R
# (first, if the series changed:  npx tsx scripts/r-reference/export-series.ts)
suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

series_dir <- "test/fixtures/forecast-series"
out_dir <- "test/fixtures/forecast-r"
index <- fromJSON(file.path(series_dir, "index.json"), simplifyDataFrame = FALSE)

period_index <- function(period, frequency) {
  year <- as.integer(substr(period, 1, 4))
  if (frequency == "monthly") return(12 * year + as.integer(substr(period, 6, 7)) - 1)
  if (frequency == "quarterly") return(4 * year + as.integer(substr(period, 7, 7)) - 1)
  year
}

model_code <- function(components) {
  paste0(components[1], components[2], ifelse(as.logical(components[4]), "d", ""), components[3])
}

named <- function(x) as.list(x)

forecast_of <- function(fit, h) {
  fc <- forecast(fit, h = h, level = c(80, 90, 95))
  list(
    mean = as.numeric(fc$mean),
    lower = list(`80` = as.numeric(fc$lower[, 1]), `90` = as.numeric(fc$lower[, 2]), `95` = as.numeric(fc$lower[, 3])),
    upper = list(`80` = as.numeric(fc$upper[, 1]), `90` = as.numeric(fc$upper[, 2]), `95` = as.numeric(fc$upper[, 3]))
  )
}

fit_one <- function(y, code, h) {
  damped <- grepl("d", code)
  fit <- tryCatch(ets(y, model = gsub("d", "", code), damped = damped), error = function(e) NULL)
  if (is.null(fit)) return(list(model = code, loglik = NULL, aicc = NULL, par = NULL))
  n <- length(y)
  list(
    model = code, loglik = fit$loglik, aicc = fit$aicc, par = named(fit$par),
    initialState = named(fit$states[1, ]), lastState = named(fit$states[n + 1, ]), sigma2 = fit$sigma2,
    forecast = forecast_of(fit, h)
  )
}

for (entry in index) {
  d <- read.csv(file.path(series_dir, entry$file), colClasses = c("character", "numeric"))
  x <- sapply(d$period, period_index, frequency = entry$frequency)
  step <- entry$step
  grid <- seq(min(x), max(x), by = step)
  values <- rep(NA_real_, length(grid))
  values[match(x, grid)] <- d$value
  m <- if (step == 1) entry$m else 1
  y <- na.contiguous(ts(values, frequency = m))
  used <- which(!is.na(values))
  first <- as.integer(round((tsp(y)[1] - 1) * m)) + 1 # position of the first value R kept, 1-based
  kept_periods <- d$period[match(grid[first:(first + length(y) - 1)], x)]

  fit <- ets(y)
  additive <- ets(y, additive.only = TRUE)
  n <- length(y)
  h <- if (m > 1) 2 * m else 10
  code <- model_code(fit$components)
  candidates <- c("ANN", "AAN", "AAdN")
  if (m > 1) candidates <- c(candidates, "ANA", "AAA", "AAdA")
  if (min(y) > 0) {
    candidates <- c(candidates, "MNN", "MAN", "MAdN")
    if (m > 1) candidates <- c(candidates, "MNA", "MAA", "MAdA", "MNM", "MAM", "MAdM")
  }
  start <- tryCatch(
    named(forecast:::initstate(y, substr(gsub("d", "", code), 2, 2), substr(gsub("d", "", code), 3, 3))),
    error = function(e) NULL
  )

  out <- list(
    id = entry$id,
    source = entry$source,
    frequency = entry$frequency,
    m = m,
    step = step,
    fittedFrom = kept_periods[1],
    fittedTo = kept_periods[length(kept_periods)],
    y = as.numeric(y),
    r = list(
      version = as.character(packageVersion("forecast")),
      call = "ets(y); forecast(fit, h, level = c(80, 90, 95))"
    ),
    method = fit$method,
    model = code,
    additiveModel = model_code(additive$components),
    par = named(fit$par),
    initialState = named(fit$states[1, ]),
    lastState = named(fit$states[n + 1, ]),
    startingState = start,
    sigma2 = fit$sigma2,
    loglik = fit$loglik,
    aic = fit$aic,
    aicc = fit$aicc,
    bic = fit$bic,
    forecast = forecast_of(fit, h),
    candidates = lapply(candidates, function(code) fit_one(y, code, h))
  )
  name <- sub("\\.csv$", ".json", entry$file)
  write_json(out, file.path(out_dir, name), auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null")
  cat(sprintf("%-40s n=%4d %-12s AICc %.3f\n", entry$id, n, fit$method, fit$aicc))
}
