package io.moneytrail.sandbox;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * ATOL Online v5 on the wire: its time format, its error object and the error codes of its
 * documentation ("Описание протокола АТОЛ Онлайн", section "Ошибки"; the same table in v4 and
 * v5). An error is {@code {"error_id": uuid, "code": n, "text": "…", "type": "system"}}; the
 * types are {@code system} (the service refused the request), {@code timeout} (the document
 * waited too long in the queue), {@code agent} and {@code driver} (the cash register refused
 * it) and {@code unknown}.
 */
final class AtolWire {

    /** {@code dd.mm.yyyy HH:MM:SS}: request timestamps, answer timestamps, receipt_datetime. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss");
    /** The cash register's clock: Moscow, where the sandbox's "device" is registered. */
    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    static final String BASE = "/sandbox/atol/possystem/v5";

    /** Numbers are read as BigDecimal, so that {@code 1598.10} is never a double on its way. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private AtolWire() {
    }

    static String time(Instant instant) {
        return TIME.format(instant.atZone(ZONE));
    }

    /** The documented errors the sandbox answers, with the HTTP status the documentation gives each. */
    enum Code {
        SERVER_FAILED(HttpStatus.BAD_REQUEST, 1, "system", "Сервер не смог обработать входной чек."),
        MISSING_TOKEN(HttpStatus.UNAUTHORIZED, 10, "system", "Не распознан токен запроса"),
        EXPIRED_TOKEN(HttpStatus.UNAUTHORIZED, 11, "system", "Переданный токен не активен"),
        WRONG_LOGIN_OR_PASSWORD(HttpStatus.UNAUTHORIZED, 12, "system", "Неверный логин или пароль"),
        VALIDATION(HttpStatus.BAD_REQUEST, 13, "system", "Ошибка валидации входящего запроса. Ошибочные поля: %s."),
        GROUP_CODE_AND_TOKEN_DONT_MATCH(HttpStatus.UNAUTHORIZED, 20, "system",
                "Код группы, указанный в запросе, не соответствует токену."),
        MISSING_UUID(HttpStatus.BAD_REQUEST, 30, "system",
                "Передан некорректный UUID : \"%s\". Необходимо повторить запрос с корректными данными"),
        OPERATION_NOT_SUPPORTED(HttpStatus.BAD_REQUEST, 31, "system", "Операция \"%s\" не поддерживается."),
        INCOMING_VALIDATION(HttpStatus.BAD_REQUEST, 32, "system", "Ошибка валидации входного чека. Ошибочные поля : %s"),
        EXTERNAL_ID_EXISTS(HttpStatus.BAD_REQUEST, 33, "system",
                "В системе существует чек с external_id : %s и group_code: %s"),
        BAD_REQUEST(HttpStatus.BAD_REQUEST, 40, "system", "Некорректный запрос."),
        UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 41, "system", "Некорректный Content-Type: %s."),
        SERVER_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, 50, "system", "Ошибка сервера. Обратитесь к Администратору.");

        final HttpStatus http;
        final int code;
        final String type;
        final String text;

        Code(HttpStatus http, int code, String type, String text) {
            this.http = http;
            this.code = code;
            this.type = type;
            this.text = text;
        }

        String text(Object... args) {
            return args.length == 0 ? text : String.format(text, args);
        }
    }

    /**
     * The documented reasons a registered document ends in {@code fail} (after {@code wait}), by
     * type and code: what the faults may ask for. The sandbox's cash register produces some of
     * them itself (a total that is not the sum of the lines: driver -3803; payments short of the
     * total: driver -3897; more non-cash than the total: driver -3896).
     */
    static final Map<String, String> FAILURES = failures();

    private static Map<String, String> failures() {
        Map<String, String> known = new LinkedHashMap<>();
        known.put("timeout:1", "Превышено время ожидания чека в очереди.");
        known.put("agent:1", "Документ некорректен");
        known.put("agent:2", "ККТ зарегистрирована с другим ИНН или адресом расчёта");
        known.put("agent:3", "Дата/время ККТ не корректны");
        known.put("agent:4", "Отсутствует возможность регистрации документа данного типа");
        known.put("driver:-1", "Нет связи");
        known.put("driver:-20", "Нет ответа от устройства");
        known.put("driver:-199", "Неизвестная ошибка");
        known.put("driver:-3803", "Неверная цена (сумма)");
        known.put("driver:-3804", "Неверное количество");
        known.put("driver:-3809", "Недопустимый ИНН");
        known.put("driver:-3810", "Накопление меньше суммы возврата или аннулирования");
        known.put("driver:-3822", "Смена превысила 24 часа");
        known.put("driver:-3896", "Сумма не наличных оплат превышает сумму чека");
        known.put("driver:-3897", "Чек оплачен не полностью");
        known.put("driver:-3969", "Сумма налога больше суммы регистраций по чеку и/или итога");
        known.put("driver:-3979", "Исчерпан ресурс хранения ФН");
        known.put("driver:-4021", "Некорректная СНО");
        known.put("driver:-4022", "Недопустимый номер ставки налога");
        known.put("system:1", "Сервер не смог обработать входной чек.");
        known.put("system:32", "Ошибка валидации входного чека.");
        known.put("system:50", "Ошибка сервера. Обратитесь к Администратору.");
        known.put("unknown:0", "Неизвестная ошибка обработки.");
        return Map.copyOf(known);
    }

    /** ATOL's error object; each carries its own {@code error_id}. */
    static Map<String, Object> error(int code, String text, String type) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error_id", UUID.randomUUID().toString());
        error.put("code", code);
        error.put("text", text);
        error.put("type", type);
        return error;
    }

    /** A refusal in ATOL's shape, answered with the documented HTTP status. */
    static final class AtolError extends RuntimeException {
        final Code code;
        final String uuid;
        final String status;

        AtolError(Code code, Object... args) {
            this(code, null, null, args);
        }

        AtolError(Code code, String uuid, String status, Object... args) {
            super(code.text(args), null, false, false);
            this.code = code;
            this.uuid = uuid;
            this.status = status;
        }
    }
}
