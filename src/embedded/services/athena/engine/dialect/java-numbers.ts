/**
 * Java's Double.toString / Float.toString, which Trino uses to print DOUBLE and REAL: the shortest digits that
 * read back to the same value, plain between 10^-3 and 10^7 (`1.0`, `3.5`, `0.001`), else computerized scientific
 * notation (`1.0E7`, `1.5E-5`), and `NaN`, `Infinity`, `-Infinity`.
 */

export function javaDoubleToString(value: number): string {
  return javaFormat(value, shortestDigits(value, false));
}

export function javaFloatToString(value: number): string {
  return javaFormat(value, shortestDigits(value, true));
}

interface Digits {
  /** Significant digits without leading or trailing zeros (at least one digit). */
  digits: string;
  /** Decimal exponent of the first digit: value = 0.d1d2… × 10^(exponent + 1). */
  exponent: number;
}

function shortestDigits(value: number, float: boolean): Digits {
  const abs = Math.abs(value);
  let text: string;
  if (!float) {
    text = abs.toExponential(); // JS gives the shortest round-trip digits
  } else {
    const target = Math.fround(abs);
    text = abs.toExponential(8);
    for (let p = 0; p <= 8; p++) {
      const candidate = abs.toExponential(p);
      if (Math.fround(Number(candidate)) === target) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa, exp] = text.split("e") as [string, string];
  const digits = mantissa.replace(".", "").replace(/0+$/, "") || "0";
  return { digits, exponent: Number(exp) };
}

function javaFormat(value: number, { digits, exponent }: Digits): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  if (value === 0) return `${sign}0.0`;
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      const frac = digits.slice(exponent + 1) || "0";
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  const frac = digits.slice(1) || "0";
  return `${sign}${digits[0]}.${frac}E${exponent}`;
}
