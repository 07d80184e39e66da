package io.moneytrail.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;

/** JSON strictness and the OpenAPI description of the API. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "Moneytrail API", version = "v1",
        description = "Orders, payments, refunds and their timeline. Amounts are integers in minor units."),
        security = @SecurityRequirement(name = "secretKey"))
@SecurityScheme(name = "secretKey", type = SecuritySchemeType.HTTP, scheme = "bearer")
class ApiConfiguration {

    /**
     * Strict input: unknown fields, fractional or quoted numbers and numbers that overflow
     * are errors that name the field, never silently coerced. Text PostgreSQL cannot store (NUL,
     * unpaired surrogates) is refused as it is read, naming the field ({@link TextCheck}).
     */
    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(TextCheck.module());
    }
}
