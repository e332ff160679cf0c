package io.rivet4j.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON numbers come out as JavaScript's {@code Number.prototype.toString} prints them. */
class JsNumberFormatTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ';', value = {
      "0.0; 0",
      "-0.0; 0",
      "100.0; 100",
      "3.14159; 3.14159",
      "-0.5; -0.5",
      "0.1; 0.1",
      "0.000001; 0.000001",
      "1.0E-7; 1e-7",
      "1.5E300; 1.5e+300",
      "-1.5E-300; -1.5e-300",
      "1.0E21; 1e+21",
      "1.0E20; 100000000000000000000",
      "1.2345678901234568E20; 123456789012345680000",
      "1.152921504606847E18; 1152921504606847000",
      "9.007199254740993E15; 9007199254740992",
      "4.9E-324; 5e-324",
      "1.7976931348623157E308; 1.7976931348623157e+308",
      "2.0E23; 2e+23",
      "123.456; 123.456",
      "0.30000000000000004; 0.30000000000000004",
      "1.0E-6; 0.000001",
      "1.234E-6; 0.000001234",
      "1.0E-5; 0.00001"})
  void printsLikeJavaScript(double value, String expected) {
    assertEquals(expected, UserValues.encodeJson(value));
  }
}
