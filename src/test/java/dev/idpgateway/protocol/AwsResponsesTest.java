package dev.idpgateway.protocol;

import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsResponsesTest {
    @Test
    void dateHeaderIsAnRfc1123DateWithTwoDigitDays() {
        String date = AwsResponses.httpDate();
        assertTrue(date.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), date);
        ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertTrue(Math.abs(parsed.toEpochSecond() - System.currentTimeMillis() / 1000) <= 2);
    }

    @Test
    void requestIdsAreVersion4Uuids() {
        UUID id = UUID.fromString(RequestIds.next());
        assertEquals(4, id.version());
        assertEquals(2, id.variant());
    }
}
