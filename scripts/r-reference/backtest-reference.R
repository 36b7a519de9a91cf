# R's automatic ETS at every backtest origin: the reference column of `npm run backtest`.
#
# Reads test/fixtures/backtest-r/origins.json (written by scripts/r-reference/export-backtest.ts) and writes
# test/fixtures/backtest-r/ets-forecasts.json: for each origin, ets(y) (R's default model set) fitted on the
# history and its point forecasts and 90 % interval at each future point. Missing periods inside the
# history are filled by linear interpolation (na.interp; R's ets cannot bridge them), and a future point
# off the grid is interpolated linearly between the grid steps around it (step 0 = the last value), as the
# engine does. The tests never run R.
#
# Run from the repository root:
#   npx tsx scripts/r-reference/export-backtest.ts && Rscript scripts/r-reference/backtest-reference.R
suppressPackageStartupMessages({
  library(forecast)
  library(jsonlite)
})

dir <- "test/fixtures/backtest-r"
origins <- fromJSON(file.path(dir, "origins.json"), simplifyDataFrame = FALSE)

one <- function(o) {
  values <- sapply(o$y, function(v) if (is.null(v)) NA_real_ else v)
  y <- ts(values, frequency = o$m)
  if (anyNA(y)) y <- na.interp(y)
  steps <- unlist(o$steps)
  h <- ceiling(max(steps))
  fit <- tryCatch(ets(y), error = function(e) NULL)
  if (is.null(fit)) return(list(id = o$id, origin = o$origin, model = NULL, mean = NULL, lower = NULL, upper = NULL))
  fc <- forecast(fit, h = h, level = 90)
  last <- as.numeric(y[length(y)])
  at <- function(series, s) approx(0:h, c(last, as.numeric(series)), xout = s)$y
  # The interval's half-width interpolated as the engine does (variance linear between steps).
  half <- (as.numeric(fc$upper[, 1]) - as.numeric(fc$mean))
  var <- c(0, (half / qnorm(0.95))^2)
  mean <- at(fc$mean, steps)
  width <- qnorm(0.95) * sqrt(approx(0:h, var, xout = steps)$y)
  list(
    id = o$id, origin = o$origin,
    model = paste0(fit$components[1], fit$components[2], ifelse(as.logical(fit$components[4]), "d", ""), fit$components[3]),
    mean = mean, lower = mean - width, upper = mean + width
  )
}

out <- list(
  r = list(version = as.character(packageVersion("forecast")), call = "ets(y); forecast(fit, h, level = 90)"),
  forecasts = lapply(origins, one)
)
write_json(out, file.path(dir, "ets-forecasts.json"), auto_unbox = TRUE, digits = NA, null = "null")
cat(sprintf("%d origins\n", length(origins)))
